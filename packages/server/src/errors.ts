import { TiktoolError } from '@tiktool/protocol';

/**
 * The base of the server's errors: a stable code. What a client gets for a code (close
 * code, HTTP status) is decided in one table, errors/error-map.ts.
 */
export class GatewayError<Code extends string = string> extends TiktoolError<Code> {
  override name = 'GatewayError';
}

/** Codes the gateway itself rejects a client with; see errors/error-map.ts for the close codes. */
export type GatewayErrorCode =
  | 'ERR_UNAUTHORIZED'
  | 'ERR_FORBIDDEN'
  | 'ERR_RATE_LIMITED'
  | 'ERR_ACCOUNTS_UNAVAILABLE'
  | 'ERR_LIVE_CHECK_BUDGET'
  | 'ERR_WEBHOOK_TARGET'
  | 'ERR_WEBHOOK_NOT_FOUND'
  | 'ERR_WEBHOOK_LIMIT';

export const unauthorized = (message: string) => new GatewayError<GatewayErrorCode>('ERR_UNAUTHORIZED', message);
export const forbidden = (message: string) => new GatewayError<GatewayErrorCode>('ERR_FORBIDDEN', message);
export const rateLimited = (message: string) => new GatewayError<GatewayErrorCode>('ERR_RATE_LIMITED', message);
export const webhookNotFound = (id: string) => new GatewayError<GatewayErrorCode>('ERR_WEBHOOK_NOT_FOUND', `no webhook ${id.slice(0, 64)}`);
export const webhookLimit = (message: string) => new GatewayError<GatewayErrorCode>('ERR_WEBHOOK_LIMIT', message);

/** The live check budget has no slot within the longest wait: the first free one is `retryAfterMs` away. */
export class LiveCheckBudgetError extends GatewayError<'ERR_LIVE_CHECK_BUDGET'> {
  override name = 'LiveCheckBudgetError';
  constructor(readonly retryAfterMs: number) {
    super(
      'ERR_LIVE_CHECK_BUDGET',
      `live checks toward TikTok are used up for now: retry after ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s`,
    );
  }
}

/** Invalid configuration: the process reports it and exits non-zero. */
export class ConfigError extends GatewayError<'ERR_CONFIG'> {
  override name = 'ConfigError';
  constructor(message: string) {
    super('ERR_CONFIG', message);
  }
}
