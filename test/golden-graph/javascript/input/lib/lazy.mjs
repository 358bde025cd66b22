import { Cache } from './cache.mjs';

const greetings = new Cache();

export function lazyGreeting(name) {
  return greetings.get(name) ?? `hello ${name}`;
}
