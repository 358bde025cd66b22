import React, { useCallback, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { classNames } from '../util/class-names';
import styles from './TodoList.module.css';

export interface Todo {
  id: string;
  title: string;
  done: boolean;
}

type Filter = 'all' | 'open' | 'done';

interface TodoItemProps {
  todo: Todo;
  onToggle(id: string): void;
  children?: ReactNode;
}

function TodoItem({ todo, onToggle, children }: TodoItemProps) {
  return (
    <li className={classNames(styles.item, todo.done && styles.done)}>
      <input type="checkbox" checked={todo.done} onChange={() => onToggle(todo.id)} />
      <span>{todo.title}</span>
      {children}
    </li>
  );
}

export const FilterBar = ({ value, onChange }: { value: Filter; onChange: (f: Filter) => void }) => (
  <nav>
    {(['all', 'open', 'done'] as const).map((f) => (
      <button key={f} disabled={f === value} onClick={() => onChange(f)}>
        {f}
      </button>
    ))}
  </nav>
);

export default function TodoList({ initial }: { initial: Todo[] }) {
  const [todos, setTodos] = useState<Todo[]>(initial);
  const [filter, setFilter] = useState<Filter>('all');

  const toggle = useCallback((id: string) => {
    setTodos((current) => current.map((t) => (t.id === id ? { ...t, done: !t.done } : t)));
  }, []);

  const visible = useMemo(
    () => todos.filter((t) => filter === 'all' || (filter === 'done') === t.done),
    [todos, filter],
  );

  return (
    <section className={styles.list}>
      <FilterBar value={filter} onChange={setFilter} />
      <ul>
        {visible.map((todo) => (
          <TodoItem key={todo.id} todo={todo} onToggle={toggle} />
        ))}
      </ul>
    </section>
  );
}

export class ErrorBoundary extends React.Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  render() {
    return this.state.failed ? <p>Something went wrong.</p> : this.props.children;
  }
}
