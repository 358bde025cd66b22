// Runs a command as a child process and measures its wall time and the peak RSS of its whole process
// tree (VmHWM of every live descendant, sampled; each process's own high-water mark is kept by the kernel).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

function hwm(pid) {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function descendants(root) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {}
  }
  const all = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    all.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return all;
}

/** @returns {Promise<{code:number|null, wallMs:number, peakRssBytes:number, stdout:string, stderr:string}>} */
export function measure(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => {
      stdout += b;
    });
    child.stderr.on('data', (b) => {
      stderr += b;
      if (stderr.length > 1e6) stderr = stderr.slice(-1e5);
    });
    const peaks = new Map();
    const sample = () => {
      for (const pid of descendants(child.pid)) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, hwm(pid)));
    };
    const timer = setInterval(sample, 50);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const peakRssBytes = [...peaks.values()].reduce((a, b) => a + b, 0);
      resolve({ code, wallMs: performance.now() - started, peakRssBytes, stdout, stderr });
    });
  });
}
