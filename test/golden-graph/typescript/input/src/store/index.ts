export interface User {
  name: string;
}

export class Store {
  private readonly users: User[] = [];
  constructor(readonly path: string) {}
  save(user: User): void {
    this.users.push(user);
  }
}

export * from './memory-store.js';
