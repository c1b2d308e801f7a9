import type { IncomingMessage } from 'node:http';

/**
 * The client's address, for the failed-authentication throttle. Behind one trusted
 * reverse proxy (TIKTOOL_TRUST_PROXY=1) it is the last X-Forwarded-For entry, the one
 * that proxy added; earlier entries are whatever the client claimed and are ignored.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
