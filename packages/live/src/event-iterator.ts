interface Waiter<T> {
  resolve(result: IteratorResult<T>): void;
  reject(error: Error): void;
}

/**
 * A push-fed async iterator. Values pushed while nobody awaits are buffered without
 * bound; `end()` lets the buffer drain first, then finishes (or throws its error once).
 */
export class EventIterator<T> implements AsyncIterableIterator<T> {
  readonly #onReturn: () => void;
  #buffer: T[] = [];
  #head = 0;
  readonly #waiters: Waiter<T>[] = [];
  #ended = false;
  #error: Error | undefined;

  constructor(onReturn: () => void) {
    this.#onReturn = onReturn;
  }

  push(value: T): void {
    if (this.#ended) return;
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve({ value, done: false });
    else this.#buffer.push(value);
  }

  end(error?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    // Only waiters remain when the buffer is empty; hand them the ending.
    while (this.#waiters.length > 0) this.#settleEnded(this.#waiters.shift()!);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#buffer.length) {
      const value = this.#buffer[this.#head++];
      this.#compact();
      return Promise.resolve({ value, done: false });
    }
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      if (this.#ended) this.#settleEnded(waiter);
      else this.#waiters.push(waiter);
    });
  }

  /** Called by `break`/`return` in a for-await loop: stop receiving and drop the buffer. */
  return(): Promise<IteratorResult<T>> {
    this.#ended = true;
    this.#error = undefined;
    this.#buffer = [];
    this.#head = 0;
    while (this.#waiters.length > 0) this.#waiters.shift()!.resolve({ value: undefined, done: true });
    this.#onReturn();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #settleEnded(waiter: Waiter<T>): void {
    const error = this.#error;
    this.#error = undefined;
    if (error) waiter.reject(error);
    else waiter.resolve({ value: undefined, done: true });
  }

  /** Drops consumed slots now and then, so a long-lived queue does not grow. */
  #compact(): void {
    if (this.#head === this.#buffer.length) {
      this.#buffer = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#buffer.length) {
      this.#buffer = this.#buffer.slice(this.#head);
      this.#head = 0;
    }
  }
}
