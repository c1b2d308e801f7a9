import { GatewayError, type GatewayErrorCode } from '../errors.js';

/** The account store did not answer a key check: the client should retry with backoff (1013). */
export const accountsUnavailable = () =>
  new GatewayError<GatewayErrorCode>('ERR_ACCOUNTS_UNAVAILABLE', 'the key store is unavailable; retry shortly');
