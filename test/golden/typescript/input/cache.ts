/** A typed LRU cache with expiry and pluggable storage. */
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
export { formatKey } from './keys.js';

export enum EvictionReason {
  Expired = 'expired',
  Capacity = 'capacity',
  Manual = 'manual',
}

export interface CacheEntry<V> {
  value: V;
  expiresAt: number;
}

export interface Storage<K, V> {
  get(key: K): CacheEntry<V> | undefined;
  set(key: K, entry: CacheEntry<V>): void;
  delete(key: K): boolean;
  readonly size: number;
}

export type EvictionListener<K> = (key: K, reason: EvictionReason) => void;

export abstract class BaseCache<K, V> {
  protected abstract evict(key: K, reason: EvictionReason): void;
}

export class LruCache<K, V> extends BaseCache<K, V> {
  private readonly entries = new Map<K, CacheEntry<V>>();
  private listeners: EvictionListener<K>[] = [];

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
    private readonly clock: Clock = systemClock,
  ) {
    super();
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.evict(key, EvictionReason.Expired);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value as K;
      this.evict(oldest, EvictionReason.Capacity);
    }
    this.entries.set(key, { value, expiresAt: this.clock.now() + this.ttlMs });
  }

  onEvict = (listener: EvictionListener<K>): (() => void) => {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  };

  protected evict(key: K, reason: EvictionReason): void {
    this.entries.delete(key);
    for (const listener of this.listeners) listener(key, reason);
  }
}

export namespace CacheStats {
  export function hitRate(hits: number, misses: number): number {
    return hits + misses === 0 ? 0 : hits / (hits + misses);
  }
}

declare function structuredClone<T>(value: T): T;

export const createCache = <V>(capacity = 100): LruCache<string, V> =>
  new LruCache<string, V>(capacity, 60_000);
