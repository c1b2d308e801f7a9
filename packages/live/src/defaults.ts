import type { ReconnectOptions } from './options.js';

/** Where the SDK connects when no `url` is given: a gateway started with `npm start`. */
export const DEFAULT_URL = 'ws://localhost:8080';

/**
 * Reconnect forever by default: a LIVE stream can outlast any number of network drops,
 * and every reconnect resumes without loss. The delay is capped, so a gateway that is
 * down for long is retried every `maxDelayMs` at most.
 */
export const DEFAULT_RECONNECT: Readonly<ReconnectOptions> = Object.freeze({
  maxAttempts: Infinity,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
});

/** Close code and reason the SDK sends when `disconnect()` is called. */
export const DISCONNECT_CODE = 1000;
export const DISCONNECT_REASON = 'client disconnect';
