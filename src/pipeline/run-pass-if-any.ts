/**
 * Runs a pass over the walk's changed entries only when there is one: the pass's modules (read,
 * classify, hash, chunk, the store stage) then load after the walk found a change, so a re-run that
 * finds none never loads them (~10 ms of a kernel re-run's startup).
 */
import type { WalkEntry, WalkProblem } from '../model.js';
import type { PassDeps } from './run-pass.js';

/** `runPass`, or `[]` (nothing missed) without loading it when `entries` is empty. */
export async function runPassIfAny(
  entries: AsyncIterable<WalkEntry | WalkProblem>,
  deps: PassDeps,
): Promise<string[]> {
  const iterator = entries[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) return [];
  const { runPass } = await import('./run-pass.js');
  return runPass(resumed(first.value, iterator), deps);
}

/** The iterator again, with its first item put back; ending it early ends the iterator (the walk) too. */
async function* resumed<T>(first: T, rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield first;
  yield* { [Symbol.asyncIterator]: () => rest };
}
