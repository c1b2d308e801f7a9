import { closeCodeInfo, type ReconnectRule } from '@tiktool/live';
import { DROP_CODE } from './tracked-sockets.js';

const NEXT: Record<ReconnectRule, string> = {
  none: 'not reconnecting',
  resume: 'reconnecting at once and resuming the session',
  backoff: 'reconnecting with backoff and resuming the session',
  delay: 'reconnecting after the delay the gateway asked for',
};

/** A close in words: the code's meaning from the protocol, the gateway's reason, and what happens next. */
export function explainClose(code: number, reason: string, willReconnect: boolean): string {
  if (code === DROP_CODE) {
    return `closed ${code}: you dropped the socket; ${willReconnect ? 'reconnecting and resuming the session' : 'not reconnecting'}`;
  }
  const info = closeCodeInfo(code);
  const why = reason && reason !== info.meaning ? ` (“${reason}”)` : '';
  return `closed ${code} ${info.name}: ${info.meaning}${why}; ${willReconnect ? NEXT[info.reconnect] : NEXT.none}`;
}
