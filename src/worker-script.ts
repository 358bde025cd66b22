/**
 * Where a worker thread's script is. Worker threads always run the compiled JavaScript: from the built
 * package the script sits beside the module that starts it; from the TypeScript sources (vitest) it is
 * the same file under dist/ (run `npm run build` first).
 */
export function workerScript(moduleUrl: string, fileName: string): URL {
  const sibling = new URL(fileName, moduleUrl);
  if (!new URL(moduleUrl).pathname.endsWith('.ts')) return sibling;
  const at = sibling.href.lastIndexOf('/src/');
  return new URL(`${sibling.href.slice(0, at)}/dist/${sibling.href.slice(at + '/src/'.length)}`);
}
