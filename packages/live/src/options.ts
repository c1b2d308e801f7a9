import type { CreatorEventName, GiftMode } from '@tiktool/protocol';
import { DEFAULT_RECONNECT, DEFAULT_URL } from './defaults.js';
import { TikTokLiveError } from './errors.js';
import type { WebSocketConstructor } from './transport.js';

export interface ReconnectOptions {
  /** Reconnects in a row without reaching roomInfo before giving up (Infinity: never). */
  maxAttempts: number;
  /**
   * Reconnects in a row that fail the same way (the same close code and reason, or the
   * gateway unreachable for the same cause) with no roomInfo between, before giving up
   * with the last reason (Infinity: never). A failure that repeats is not going away.
   */
  maxFailedReconnects: number;
  /** Ceiling of the first backoff delay; it doubles with each attempt. */
  baseDelayMs: number;
  /** Largest backoff delay (a 4429's `retry after N s` is honoured as is). */
  maxDelayMs: number;
}

export interface TikTokLiveOptions {
  apiKey?: string;
  /** A scoped token from the gateway's POST /v1/jwt, in place of apiKey (for browsers). */
  jwtKey?: string;
  /** The gateway's WebSocket URL. Default {@link DEFAULT_URL}. */
  url?: string;
  /** Only these events are sent by the gateway (roomInfo always is). Default: all. */
  events?: readonly CreatorEventName[];
  /** Let the gateway send several events per frame (less overhead at high rates). */
  batch?: boolean;
  /** 'final': one `gift` per finished streak with its totals, no streak progress. Default 'all'. */
  gifts?: GiftMode;
  /**
   * Single-creator clients: when the creator is not live (or its LIVE ends), stay
   * connected and wait for it (`liveStatus` events) instead of closing with 4404 / 4005.
   * connect() then resolves when it goes live. Rosters always wait.
   */
  waitForLive?: boolean;
  /** false: never reconnect. true or partial options: see {@link DEFAULT_RECONNECT}. */
  reconnect?: boolean | Partial<ReconnectOptions>;
  /** A WebSocket class to use instead of the global one or the `ws` package. */
  WebSocket?: WebSocketConstructor;
}

export interface ResolvedOptions {
  apiKey: string | undefined;
  jwtKey: string | undefined;
  url: URL;
  events: ReadonlySet<CreatorEventName> | undefined;
  batch: boolean;
  gifts: GiftMode;
  waitForLive: boolean;
  reconnect: ReconnectOptions | false;
  WebSocket: WebSocketConstructor | undefined;
}

function invalid(message: string): TikTokLiveError {
  return new TikTokLiveError('ERR_INVALID_ARGUMENT', message);
}

function resolveUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch (cause) {
    throw new TikTokLiveError('ERR_INVALID_ARGUMENT', `url is not a valid URL: ${input}`, { cause });
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw invalid(`url must be ws:// or wss://, got ${url.protocol}`);
  return url;
}

function resolveReconnect(input: TikTokLiveOptions['reconnect']): ReconnectOptions | false {
  if (input === false) return false;
  const options = { ...DEFAULT_RECONNECT, ...(input === true || input === undefined ? {} : input) };
  for (const key of ['maxAttempts', 'maxFailedReconnects', 'baseDelayMs', 'maxDelayMs'] as const) {
    const value = options[key];
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
      throw invalid(`reconnect.${key} must be a non-negative number`);
    }
  }
  return options;
}

function resolveGiftMode(input: TikTokLiveOptions['gifts']): GiftMode {
  if (input === undefined || input === 'all' || input === 'final') return input ?? 'all';
  throw invalid(`gifts must be 'all' or 'final', got ${String(input)}`);
}

export function resolveOptions(options: TikTokLiveOptions): ResolvedOptions {
  return {
    apiKey: options.apiKey,
    jwtKey: options.jwtKey,
    url: resolveUrl(options.url ?? DEFAULT_URL),
    events: options.events && options.events.length > 0 ? new Set(options.events) : undefined,
    batch: options.batch ?? false,
    gifts: resolveGiftMode(options.gifts),
    waitForLive: options.waitForLive === true,
    reconnect: resolveReconnect(options.reconnect),
    WebSocket: options.WebSocket,
  };
}
