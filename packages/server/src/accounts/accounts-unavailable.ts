import { CloseCode } from '@tiktool/protocol';
import { GatewayError } from '../errors.js';

/** The account store did not answer a key check: the client should retry with backoff (1013). */
export const accountsUnavailable = () =>
  new GatewayError('ERR_ACCOUNTS_UNAVAILABLE', CloseCode.TRY_AGAIN_LATER, 'the key store is unavailable; retry shortly');
