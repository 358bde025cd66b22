// task-queue.js - a small promise-based task queue with retries.
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import defaults, { backoff as computeBackoff } from './defaults.js';

const fs = require('fs');
const { inspect } = require("node:util");

export const DEFAULT_CONCURRENCY = 4;

/** Sleeps for `ms` milliseconds. */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function createTask(name, run, options = {}) {
  return { name, run, retries: options.retries ?? defaults.retries, attempts: 0 };
}

export class TaskQueue extends EventEmitter {
  #running = 0;
  #pending = [];

  constructor(concurrency = DEFAULT_CONCURRENCY) {
    super();
    this.concurrency = concurrency;
  }

  push(task) {
    this.#pending.push(task);
    this.emit('queued', task.name);
    this.#drain();
  }

  get size() {
    return this.#pending.length + this.#running;
  }

  onIdle = () => new Promise((resolve) => this.once('idle', resolve));

  async #runOne(task) {
    this.#running++;
    try {
      task.attempts++;
      await task.run();
      this.emit('done', task.name);
    } catch (error) {
      if (task.attempts <= task.retries) {
        await sleep(computeBackoff(task.attempts));
        this.#pending.push(task);
      } else {
        this.emit('failed', task.name, inspect(error));
      }
    } finally {
      this.#running--;
      this.#drain();
    }
  }

  #drain() {
    while (this.#running < this.concurrency && this.#pending.length > 0) {
      void this.#runOne(this.#pending.shift());
    }
    if (this.size === 0) this.emit('idle');
  }
}

function* ids(prefix) {
  let n = 0;
  while (true) yield `${prefix}-${n++}`;
}

export default async function main(argv) {
  const queue = new TaskQueue(Number(argv[2]) || DEFAULT_CONCURRENCY);
  const next = ids('task');
  for (const file of fs.readdirSync(argv[3] ?? '.')) {
    queue.push(createTask(next.next().value, () => fs.promises.readFile(path.resolve(file))));
  }
  const plugin = await import('./plugin.js');
  plugin.register(queue);
  await queue.onIdle();
}

export { sleep };
export * from './extra.js';
