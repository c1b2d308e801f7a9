import type { ReconnectOptions } from './options.js';

/** Where the SDK connects when no `url` is given: a gateway started with `npm start`. */
export const DEFAULT_URL = 'ws://localhost:8080';
/** Where the REST client asks when no `url` is given: the same gateway over HTTP. */
export const DEFAULT_REST_URL = 'http://localhost:8080';

/**
 * Reconnect after any number of network drops by default: a LIVE stream can outlast
 * them, and every reconnect resumes without loss. The delay is capped at `maxDelayMs`.
 * But the same failure eight reconnects in a row (45 s of backoff on average: TikTok
 * failing, the gateway not running) is reported instead of retried forever.
 */
export const DEFAULT_RECONNECT: Readonly<ReconnectOptions> = Object.freeze({
  maxAttempts: Infinity,
  maxFailedReconnects: 8,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
});

/** Close code and reason the SDK sends when `disconnect()` is called. */
export const DISCONNECT_CODE = 1000;
export const DISCONNECT_REASON = 'client disconnect';
