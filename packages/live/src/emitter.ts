/** Event name -> the arguments its listeners receive. */
export type EventArgsMap<M> = { [K in keyof M]: unknown[] };

/** A listener as stored: the typed signature is enforced at on/once/off. */
type StoredListener = (...args: readonly unknown[]) => void;

interface Entry {
  listener: StoredListener;
  once: boolean;
}

/**
 * A small typed event emitter that runs in browsers and Node alike (no node:events).
 * A listener that throws does not stop the others: the error goes to
 * `onListenerError`, which rethrows it asynchronously unless a subclass routes it.
 */
export class TypedEmitter<M extends EventArgsMap<M>> {
  readonly #listeners = new Map<keyof M, Entry[]>();

  on<K extends keyof M>(name: K, listener: (...args: M[K]) => void): this {
    return this.#add(name, listener, false);
  }

  once<K extends keyof M>(name: K, listener: (...args: M[K]) => void): this {
    return this.#add(name, listener, true);
  }

  off<K extends keyof M>(name: K, listener: (...args: M[K]) => void): this {
    const entries = this.#listeners.get(name);
    if (!entries) return this;
    const index = entries.findIndex((e) => e.listener === (listener as unknown));
    if (index !== -1) entries.splice(index, 1);
    if (entries.length === 0) this.#listeners.delete(name);
    return this;
  }

  listenerCount(name: keyof M): number {
    return this.#listeners.get(name)?.length ?? 0;
  }

  protected emit<K extends keyof M>(name: K, ...args: M[K]): boolean {
    return this.emitDynamic(name, args);
  }

  /** For names only known at run time (events read off the wire). */
  protected emitDynamic(name: keyof M, args: readonly unknown[]): boolean {
    const entries = this.#listeners.get(name);
    if (!entries) return false;
    // A snapshot: listeners added or removed during the emit take effect next time.
    for (const entry of [...entries]) {
      if (entry.once) this.#remove(name, entry);
      try {
        entry.listener(...args);
      } catch (error) {
        this.onListenerError(error, name);
      }
    }
    return true;
  }

  protected onListenerError(error: unknown, _name: keyof M): void {
    queueMicrotask(() => {
      throw error;
    });
  }

  #add<K extends keyof M>(name: K, listener: (...args: M[K]) => void, once: boolean): this {
    const entries = this.#listeners.get(name) ?? [];
    // Listeners are only ever called with the arguments of their own event name.
    entries.push({ listener: listener as unknown as StoredListener, once });
    this.#listeners.set(name, entries);
    return this;
  }

  #remove(name: keyof M, entry: Entry): void {
    const entries = this.#listeners.get(name);
    if (!entries) return;
    const index = entries.indexOf(entry);
    if (index !== -1) entries.splice(index, 1);
    if (entries.length === 0) this.#listeners.delete(name);
  }
}
