// Unrelated code with the same names as the live code: nothing imports this file, so none of its
// definitions may be picked for the `save`, `formatUser` and `User` used elsewhere.
export interface User {
  id: number;
}

export class Cache {
  save(user: User): void {
    console.log(user.id);
  }
}

export function formatUser(user: User): string {
  return String(user.id);
}
