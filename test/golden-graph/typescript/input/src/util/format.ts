import type { User } from '../store/index.js';

export function formatUser(user: User): string {
  return `${user.name}`.trim();
}

export function parse(text: string): string[] {
  return text.split(',');
}
