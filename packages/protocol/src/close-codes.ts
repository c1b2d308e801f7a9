/**
 * WebSocket close codes the gateway sends, as data: each with what a client should do.
 * Compatible with the existing hosted TikTok LIVE APIs.
 */

/**
 * - `none`: do not reconnect.
 * - `resume`: reconnect at once with sessionId and lastSeq; nothing is lost.
 * - `backoff`: reconnect with exponential backoff, resuming.
 * - `delay`: reconnect after the delay named in the reason (`retry after N s`).
 */
export type ReconnectRule = 'none' | 'resume' | 'backoff' | 'delay';

export interface CloseCodeInfo {
  code: number;
  name: string;
  meaning: string;
  reconnect: ReconnectRule;
}

/** Every close code, declared once: `CloseCode` below is derived from it. */
export const CLOSE_CODES = [
  { code: 1000, name: 'NORMAL', meaning: 'normal close', reconnect: 'none' },
  { code: 1001, name: 'GOING_AWAY', meaning: 'server going away', reconnect: 'resume' },
  { code: 1006, name: 'ABNORMAL', meaning: 'connection dropped without a close frame', reconnect: 'resume' },
  { code: 1008, name: 'POLICY_VIOLATION', meaning: 'policy violation (e.g. the client sent junk)', reconnect: 'none' },
  { code: 1009, name: 'MESSAGE_TOO_BIG', meaning: 'the client sent a message that is too big', reconnect: 'none' },
  { code: 1011, name: 'INTERNAL_ERROR', meaning: 'internal server error', reconnect: 'backoff' },
  { code: 1012, name: 'SERVICE_RESTART', meaning: 'server restarting', reconnect: 'resume' },
  { code: 1013, name: 'TRY_AGAIN_LATER', meaning: 'server overloaded, try later', reconnect: 'backoff' },
  { code: 4005, name: 'STREAM_END', meaning: 'the LIVE stream ended', reconnect: 'none' },
  { code: 4006, name: 'UPSTREAM_IDLE', meaning: 'no upstream events within the idle timeout', reconnect: 'backoff' },
  { code: 4008, name: 'SLOW_CONSUMER', meaning: 'the client could not keep up', reconnect: 'resume' },
  { code: 4400, name: 'INVALID_PARAMS', meaning: 'invalid connection parameters', reconnect: 'none' },
  { code: 4401, name: 'UNAUTHORIZED', meaning: 'missing, invalid or revoked API key', reconnect: 'none' },
  { code: 4403, name: 'FORBIDDEN', meaning: 'key not allowed (creator scope, origin)', reconnect: 'none' },
  { code: 4404, name: 'NOT_FOUND', meaning: 'creator not found or not live', reconnect: 'none' },
  { code: 4409, name: 'SESSION_TAKEN_OVER', meaning: 'the session was resumed on another connection', reconnect: 'none' },
  { code: 4429, name: 'RATE_LIMITED', meaning: 'tier limit: too many connections or connects', reconnect: 'delay' },
  { code: 4500, name: 'UPSTREAM_FAILED', meaning: 'upstream (TikTok) failed after retries', reconnect: 'backoff' },
  { code: 4555, name: 'SESSION_LIMIT', meaning: 'maximum session duration of the tier', reconnect: 'resume' },
] as const satisfies readonly CloseCodeInfo[];

type CloseCodeEntry = (typeof CLOSE_CODES)[number];

/** Close codes by name, e.g. `CloseCode.NOT_FOUND` (4404). */
export const CloseCode = Object.freeze(Object.fromEntries(CLOSE_CODES.map((c) => [c.name, c.code]))) as {
  readonly [E in CloseCodeEntry as E['name']]: E['code'];
};

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

const BY_CODE = new Map<number, CloseCodeInfo>(CLOSE_CODES.map((c) => [c.code, c]));

/** What is known of a close code; unknown codes in 4000-4999 are treated as final. */
export function closeCodeInfo(code: number): CloseCodeInfo {
  return (
    BY_CODE.get(code) ?? {
      code,
      name: 'UNKNOWN',
      meaning: 'unknown close code',
      reconnect: code >= 4000 ? 'none' : 'backoff',
    }
  );
}

/** Parses the delay out of a 4429 reason such as `too many connects; retry after 42 s`. */
export function retryAfterSeconds(reason: string): number | undefined {
  const m = /retry after (\d+(?:\.\d+)?) ?s/i.exec(reason);
  return m ? Number(m[1]) : undefined;
}

/** WebSocket close reasons are limited to 123 bytes of UTF-8. */
export const MAX_CLOSE_REASON_BYTES = 123;

/** The reason cut to fit, at a word boundary (with an ellipsis) so no word is left half. */
export function truncateReason(reason: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(reason).byteLength <= MAX_CLOSE_REASON_BYTES) return reason;
  const ELLIPSIS = '…';
  const room = MAX_CLOSE_REASON_BYTES - encoder.encode(ELLIPSIS).byteLength;
  const cut = new TextDecoder().decode(encoder.encode(reason).subarray(0, room + 1)).replace(/\uFFFD+$/, '');
  const space = cut.lastIndexOf(' ');
  // A single word longer than the limit is cut inside it: there is no boundary to keep.
  const kept = space > 0 ? cut.slice(0, space) : new TextDecoder().decode(encoder.encode(cut).subarray(0, room)).replace(/\uFFFD+$/, '');
  return kept.replace(/[\s,;:(]+$/, '') + ELLIPSIS;
}
