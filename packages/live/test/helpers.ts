import type { ClientEventArgs, ClientEventName, Creators, TikTokLive } from '../src/index.js';

type AnyClient = TikTokLive<Creators>;

/** Resolves with the listener arguments of the next `name` event. */
export function nextEvent<K extends ClientEventName>(client: AnyClient, name: K): Promise<ClientEventArgs[K]> {
  return new Promise((resolve) => client.once(name, (...args: ClientEventArgs[K]) => resolve(args)));
}

/** Resolves once `count` events of `name` have been seen (counting from now). */
export function collect<K extends ClientEventName>(client: AnyClient, name: K, count: number): Promise<Array<ClientEventArgs[K]>> {
  const seen: Array<ClientEventArgs[K]> = [];
  return new Promise((resolve) => {
    const listener = (...args: ClientEventArgs[K]): void => {
      seen.push(args);
      if (seen.length === count) {
        client.off(name, listener);
        resolve(seen);
      }
    };
    client.on(name, listener);
  });
}

/** Test reconnect settings: quick, so tests stay short without asserting speed. */
export const FAST_RECONNECT = { baseDelayMs: 10, maxDelayMs: 40 } as const;

/** Counts `name` events from now on. */
export function countEvents(client: AnyClient, name: ClientEventName): { readonly count: number } {
  const counter = { count: 0 };
  client.on(name, () => counter.count++);
  return counter;
}
