// A `get` method and a `validate` function unrelated to config/index.js and cli/args.js.
export class Cache {
  #entries = new Map();

  get(key) {
    // Known limit: by name, `this.#entries.get` (a Map's) resolves to this very method.
    return this.#entries.get(key);
  }
}

export function validate(key) {
  return typeof key === 'string';
}
