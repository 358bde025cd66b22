/**
 * A bounded async queue between two pipeline stages. A full queue makes `push` wait: backpressure by
 * blocking, never by dropping. One consumer iterates it; `close()` ends the iteration once drained and
 * `fail()` makes the consumer throw.
 */
export class BoundedQueue<T> implements AsyncIterable<T> {
  readonly #capacity: number;
  readonly #items: T[] = [];
  #closed = false;
  #abandoned = false;
  #error: unknown = undefined;
  #waitingConsumer: (() => void) | null = null;
  readonly #waitingProducers: Array<() => void> = [];

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`queue capacity must be >= 1, got ${capacity}`);
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#items.length;
  }

  /**
   * Waits while the queue is full. After `fail(error)` it throws that error, so a producer stopped by a
   * failure downstream reports the failure; pushing after `close()` is a programming error. After
   * `abandon()` it returns at once and the item is dropped.
   */
  async push(item: T): Promise<void> {
    while (this.#items.length >= this.#capacity && !this.#closed && !this.#abandoned) {
      await new Promise<void>((resolve) => this.#waitingProducers.push(resolve));
    }
    if (this.#error !== undefined) throw this.#error;
    if (this.#abandoned) return;
    if (this.#closed) throw new Error('push on a closed queue');
    this.#items.push(item);
    this.#wakeConsumer();
  }

  close(): void {
    this.#closed = true;
    this.#wakeConsumer();
    this.#wakeProducers();
  }

  /**
   * The consumer stops for good (the run was aborted): queued items are dropped, and producers waiting on
   * the full queue, and later pushes, return at once. Without it a producer far ahead of a consumer that
   * stopped reading waits forever (an aborted kernel run hung with its walk 8,192 entries ahead).
   */
  abandon(): void {
    this.#abandoned = true;
    this.#items.length = 0;
    this.#wakeProducers();
  }

  /**
   * Removes and returns, oldest first, the queued items `wanted` accepts, without waiting: a consumer
   * busy with one long item takes the work it can do meanwhile. The others keep their order.
   */
  takeWhere<U extends T>(wanted: (item: T) => item is U): U[] {
    const taken: U[] = [];
    let kept = 0;
    for (const item of this.#items) {
      if (wanted(item)) taken.push(item);
      else this.#items[kept++] = item;
    }
    this.#items.length = kept;
    if (taken.length > 0) this.#wakeProducers();
    return taken;
  }

  fail(error: unknown): void {
    this.#error = error ?? new Error('queue failed');
    this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.#error !== undefined) throw this.#error;
      if (this.#items.length > 0) {
        const item = this.#items.shift() as T;
        this.#wakeProducers();
        yield item;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#waitingConsumer = resolve;
      });
    }
  }

  #wakeConsumer(): void {
    const wake = this.#waitingConsumer;
    this.#waitingConsumer = null;
    wake?.();
  }

  #wakeProducers(): void {
    for (const wake of this.#waitingProducers.splice(0)) wake();
  }
}
