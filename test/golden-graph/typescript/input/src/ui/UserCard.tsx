import { formatUser } from '../util/format.js';
import type { User } from '../store/index.js';
import { Avatar } from './Avatar';
import React from 'react';

export function UserCard({ user }: { user: User }) {
  return (
    <div>
      <Avatar name={user.name} />
      <span>{formatUser(user)}</span>
    </div>
  );
}
