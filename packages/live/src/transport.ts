import { TikTokLiveError } from './errors.js';

/**
 * A handler property whose parameter is checked bivariantly, so that both the DOM's
 * `WebSocket` and the `ws` package's class (each with its own event types) fit.
 */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The part of the WebSocket API the SDK uses: the browser's, Node's and `ws`'s all fit. */
export interface WebSocketLike {
  binaryType: string;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
  close(code?: number, reason?: string): void;
  /** Roster clients send their subscribe and unsubscribe frames. */
  send(data: string): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string[]) => WebSocketLike;

let wsPackage: Promise<WebSocketConstructor> | undefined;

function loadWsPackage(): Promise<WebSocketConstructor> {
  wsPackage ??= import('ws').then(
    (mod) => mod.default,
    (cause: unknown) => {
      wsPackage = undefined;
      throw new TikTokLiveError(
        'ERR_WEBSOCKET_UNAVAILABLE',
        'no global WebSocket and the "ws" package could not be loaded; install ws or pass options.WebSocket',
        { cause },
      );
    },
  );
  return wsPackage;
}

/**
 * The WebSocket class to use: the caller's override, else the platform's (browsers,
 * Deno, Node 22+), else the `ws` package, imported only then so that browser bundles
 * never execute it.
 */
export function resolveWebSocket(override?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (override) return Promise.resolve(override);
  const native = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (native) return Promise.resolve(native);
  return loadWsPackage();
}

/** The text of a message event's data: a string, or UTF-8 bytes from a binary frame. */
export function frameText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return undefined;
}
