import { CloseCode } from '@tiktool/protocol';

/** An error the gateway reports to a client: a stable code and the WebSocket close code. */
export class GatewayError extends Error {
  constructor(
    readonly code: string,
    readonly closeCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export const unauthorized = (message: string) => new GatewayError('ERR_UNAUTHORIZED', CloseCode.UNAUTHORIZED, message);
export const forbidden = (message: string) => new GatewayError('ERR_FORBIDDEN', CloseCode.FORBIDDEN, message);
export const rateLimited = (message: string) => new GatewayError('ERR_RATE_LIMITED', CloseCode.RATE_LIMITED, message);

/** Invalid configuration: the process reports it and exits non-zero. */
export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
