import { formatUser } from './util/format';
import { Store, type User } from './store';
import { z } from 'zod';

const schema = z.object({ name: z.string() });

// A local helper named like util/format.ts's `parse`: the local one is meant.
// Known limit: references are resolved by name per file, and a call records no receiver, so the
// `schema.parse` and `JSON.parse` in its body also resolve to this function.
function parse(raw: string): User {
  return schema.parse(JSON.parse(raw)) as User;
}

export function startApp(path: string): void {
  const store = new Store(path);
  const user = parse('{"name":"ada"}');
  store.save(user);
  console.log(formatUser(user));
}
