import { CloseCode, TiktoolError, type InvalidParamError, type RestErrorCode } from '@tiktool/protocol';
import type { UpstreamErrorCode } from '@tiktool/webcast';
import type { GatewayErrorCode } from '../errors.js';

export { REST_ERROR_CODES, type RestErrorCode } from '@tiktool/protocol';

/** How a client is told of an error: its socket's close code, or a REST answer's status and `error.code`. */
export interface ClientFacing {
  closeCode: number;
  httpStatus: number;
  httpError: RestErrorCode;
}

const UPSTREAM_FAILED: ClientFacing = { closeCode: CloseCode.UPSTREAM_FAILED, httpStatus: 502, httpError: 'UPSTREAM_FAILED' };
const FORBIDDEN: ClientFacing = { closeCode: CloseCode.FORBIDDEN, httpStatus: 403, httpError: 'FORBIDDEN' };
const INTERNAL: ClientFacing = { closeCode: CloseCode.INTERNAL_ERROR, httpStatus: 500, httpError: 'INTERNAL_ERROR' };

/**
 * Every error code a client may be told about, and how: the one place that decides. A
 * code missing here is a bug to log, and the client gets 1011 or 500.
 */
const ERROR_MAP: Readonly<Record<InvalidParamError['code'] | GatewayErrorCode | UpstreamErrorCode, ClientFacing>> = {
  ERR_INVALID_PARAM: { closeCode: CloseCode.INVALID_PARAMS, httpStatus: 400, httpError: 'INVALID_PARAM' },
  ERR_UNAUTHORIZED: { closeCode: CloseCode.UNAUTHORIZED, httpStatus: 401, httpError: 'UNAUTHORIZED' },
  ERR_FORBIDDEN: FORBIDDEN,
  ERR_RATE_LIMITED: { closeCode: CloseCode.RATE_LIMITED, httpStatus: 429, httpError: 'RATE_LIMITED' },
  // The account store did not answer: retrying with backoff can help.
  ERR_ACCOUNTS_UNAVAILABLE: { closeCode: CloseCode.TRY_AGAIN_LATER, httpStatus: 503, httpError: 'TRY_AGAIN_LATER' },
  // The live check budget toward TikTok is used up for now; the message says when to retry.
  ERR_LIVE_CHECK_BUDGET: { closeCode: CloseCode.TRY_AGAIN_LATER, httpStatus: 503, httpError: 'TRY_AGAIN_LATER' },
  USER_NOT_FOUND: { closeCode: CloseCode.NOT_FOUND, httpStatus: 404, httpError: 'USER_NOT_FOUND' },
  OFFLINE: { closeCode: CloseCode.NOT_FOUND, httpStatus: 404, httpError: 'NOT_LIVE' },
  // A webhook URL that is not https or resolves to an address that is not public.
  ERR_WEBHOOK_TARGET: { closeCode: CloseCode.INVALID_PARAMS, httpStatus: 400, httpError: 'INVALID_URL' },
  ERR_WEBHOOK_NOT_FOUND: { closeCode: CloseCode.NOT_FOUND, httpStatus: 404, httpError: 'NOT_FOUND' },
  // The tier's number of webhook endpoints, or of creators they watch, is reached.
  ERR_WEBHOOK_LIMIT: { closeCode: CloseCode.FORBIDDEN, httpStatus: 403, httpError: 'TIER_LIMIT' },
  SIGN_RATE_LIMITED: UPSTREAM_FAILED,
  // The reason says when a slot frees up (`retry after N s`).
  SIGN_BUDGET: { closeCode: CloseCode.TRY_AGAIN_LATER, httpStatus: 503, httpError: 'TRY_AGAIN_LATER' },
  SIGN_FAILED: UPSTREAM_FAILED,
  HANDSHAKE_REJECTED: UPSTREAM_FAILED,
  BLOCKED: UPSTREAM_FAILED,
  NETWORK: UPSTREAM_FAILED,
  PROTOCOL: UPSTREAM_FAILED,
  // Retrying cannot help: the gateway's operator must set a session cookie.
  AGE_RESTRICTED: FORBIDDEN,
  CONFIG: INTERNAL,
};

/** How a client is told of this error, or undefined when it is not one meant for clients (a bug). */
export function clientFacing(err: unknown): ClientFacing | undefined {
  return err instanceof TiktoolError && Object.hasOwn(ERROR_MAP, err.code) ? ERROR_MAP[err.code as keyof typeof ERROR_MAP] : undefined;
}

export interface ClientClose {
  code: number;
  reason: string;
  /** Not an error meant for clients: log it; the client gets `internal error`. */
  unexpected: boolean;
}

/** The close code and reason a socket gets for an error. */
export function closeFor(err: unknown): ClientClose {
  const facing = clientFacing(err);
  if (!facing) return { code: INTERNAL.closeCode, reason: 'internal error', unexpected: true };
  return { code: facing.closeCode, reason: (err as Error).message, unexpected: false };
}
