import { TiktoolError, closeCodeInfo, type RestErrorCode } from '@tiktool/protocol';

/**
 * Stable error codes; match on these, not on messages.
 * - `ERR_CONNECTION_CLOSED`: the gateway closed with a code that forbids reconnecting
 *   (see `closeCode` and `reason`), or reconnect is disabled.
 * - `ERR_RECONNECT_EXHAUSTED`: `reconnect.maxAttempts` reconnects in a row failed, or
 *   `reconnect.maxFailedReconnects` failed the same way; `closeCode`/`reason` are those
 *   of the last close.
 * - `ERR_UNREACHABLE`: the gateway could not be reached ("cannot reach the gateway at
 *   URL (ECONNREFUSED)"; `closeCode` 1006). In `disconnected` events while the client
 *   retries; the error it stops with when the reconnects ran out.
 * - `ERR_DISCONNECTED`: `disconnect()` was called before `connect()` settled.
 * - `ERR_PROTOCOL`: the gateway sent a frame that breaks the wire contract (dropped).
 * - `ERR_HANDLER`: one of your listeners threw (`cause` is what it threw).
 * - `ERR_WEBSOCKET_UNAVAILABLE`: no WebSocket implementation could be loaded.
 * - `ERR_INVALID_ARGUMENT`: a constructor argument or option is invalid.
 * - `ERR_INVALID_STATE`: a call the client's state does not allow (compat: connect() twice;
 *   subscribe() on a single-creator client).
 * - `ERR_REFUSED`: the gateway refused a roster request or dropped a creator without
 *   closing the socket; `closeCode` is the code a single-creator socket would have closed
 *   with for the same cause (4400 bad name, 4403 not allowed, 4404 not found, 4429 over the
 *   tier's creator limit), `reason` the gateway's message.
 * - The REST client's errors carry the gateway's own code (`USER_NOT_FOUND`, `NOT_LIVE`,
 *   `RATE_LIMITED`...: {@link RestErrorCode}), with `status` and `retryAfterS`.
 */
export type TikTokLiveErrorCode =
  | RestErrorCode
  | 'ERR_CONNECTION_CLOSED'
  | 'ERR_RECONNECT_EXHAUSTED'
  | 'ERR_UNREACHABLE'
  | 'ERR_DISCONNECTED'
  | 'ERR_PROTOCOL'
  | 'ERR_HANDLER'
  | 'ERR_WEBSOCKET_UNAVAILABLE'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_INVALID_STATE'
  | 'ERR_REFUSED';

export interface TikTokLiveErrorOptions {
  closeCode?: number;
  reason?: string;
  cause?: unknown;
  status?: number;
  retryAfterS?: number;
}

export class TikTokLiveError extends TiktoolError<TikTokLiveErrorCode> {
  override readonly name = 'TikTokLiveError';
  /** The WebSocket close code behind the error, when a close caused it. */
  readonly closeCode: number | undefined;
  /** The close reason sent by the gateway, when a close caused it. */
  readonly reason: string | undefined;
  /** The HTTP status of a failed REST answer. */
  readonly status: number | undefined;
  /** A REST answer's Retry-After (429, 503), in seconds. */
  readonly retryAfterS: number | undefined;

  constructor(code: TikTokLiveErrorCode, message: string, options: TikTokLiveErrorOptions = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.closeCode = options.closeCode;
    this.reason = options.reason;
    this.status = options.status;
    this.retryAfterS = options.retryAfterS;
  }
}

function describeClose(closeCode: number, reason: string): string {
  const info = closeCodeInfo(closeCode);
  return `${closeCode} ${info.name} (${reason || info.meaning})`;
}

/** The error for a close after which the client stops. */
export function closedError(closeCode: number, reason: string): TikTokLiveError {
  return new TikTokLiveError('ERR_CONNECTION_CLOSED', `connection closed: ${describeClose(closeCode, reason)}`, {
    closeCode,
    reason,
  });
}

function reconnects(attempts: number): string {
  return `${attempts} reconnect attempt${attempts === 1 ? '' : 's'}`;
}

/** Why the client gives up: the last failure, and how long it tried. */
export function exhaustedError(attempts: number, closeCode: number, reason: string, unreachable?: TikTokLiveError): TikTokLiveError {
  if (unreachable) {
    return new TikTokLiveError('ERR_UNREACHABLE', `${unreachable.message}; gave up after ${reconnects(attempts)}`, {
      closeCode,
      reason,
    });
  }
  return new TikTokLiveError(
    'ERR_RECONNECT_EXHAUSTED',
    `gave up after ${reconnects(attempts)}; last close: ${describeClose(closeCode, reason)}`,
    { closeCode, reason },
  );
}

/**
 * A socket that closed (1006) without ever opening: the gateway is down, the address is
 * wrong, or the network is. `cause` is what the WebSocket reported (e.g. ECONNREFUSED);
 * browsers report nothing.
 */
export function unreachableError(url: URL, closeCode: number, reason: string, cause?: string): TikTokLiveError {
  const where = `${url.protocol}//${url.host}${url.pathname}`;
  return new TikTokLiveError('ERR_UNREACHABLE', `cannot reach the gateway at ${where}${cause ? ` (${cause})` : ''}`, {
    closeCode,
    reason,
  });
}

/** The gateway's `error` event, which answers a roster request or reports a creator dropped from the roster. */
export function refusedError(data: { code: number; message: string; uniqueId?: string }): TikTokLiveError {
  const who = data.uniqueId ? `@${data.uniqueId}: ` : '';
  return new TikTokLiveError('ERR_REFUSED', `${who}${data.message} (${data.code})`, { closeCode: data.code, reason: data.message });
}
