import { Store, type User } from './index';

export class MemoryStore extends Store {
  override save(user: User): void {
    // Known limit: `super.save` means Store.save in index.ts, but by name the file's own `save` wins.
    super.save(user);
  }
}
