/**
 * The sign provider: TikTok requires a signed first fetch before the push WebSocket,
 * and a provider does the signing. De facto API:
 * GET {signUrl}/webcast/rooms/{roomId}/connect?client=..&cursor=..&client_enter=true
 * with X-Api-Key; 200 = protobuf fetch result + `x-set-tt-cookie`, 429 = rate limited
 * (JSON message), 401/402/403 = key problems.
 */

import { fullJitterDelay, sleep } from './backoff.js';
import type { HttpClient, HttpResponse } from './http-client.js';
import type { ResolvedOptions } from './options.js';
import { UpstreamError } from './upstream.js';

export const SIGN_COOKIE_HEADER = 'x-set-tt-cookie';

export function signHeaders(o: ResolvedOptions): Record<string, string> {
  const h: Record<string, string> = { 'User-Agent': o.userAgent, Accept: 'application/protobuf, application/json' };
  if (o.signApiKey) h['X-Api-Key'] = o.signApiKey;
  return h;
}

/** The provider's JSON error message, if its body has one. */
function providerMessage(res: HttpResponse): string {
  try {
    const body = JSON.parse(res.body.toString('utf8')) as { message?: unknown; limit_label?: unknown };
    const label = typeof body.limit_label === 'string' ? `(${body.limit_label}) ` : '';
    return typeof body.message === 'string' ? label + body.message : '';
  } catch {
    return res.body.subarray(0, 200).toString('utf8');
  }
}

export interface SignedConnect {
  /** The protobuf fetch result. */
  body: Buffer;
  /** Cookie header for the push WebSocket. */
  cookie: string;
}

/** Calls the provider's connect, retrying 429 with backoff `signRetries` times. */
export async function signConnect(
  roomId: string,
  cursor: string,
  o: ResolvedOptions,
  http: HttpClient,
  signal?: AbortSignal,
): Promise<SignedConnect> {
  const q = new URLSearchParams({ client: o.clientName, cursor, client_enter: 'true' });
  const url = `${o.signUrl}/webcast/rooms/${encodeURIComponent(roomId)}/connect?${q}`;
  for (let attempt = 0; ; attempt++) {
    const res = await http.get(url, signHeaders(o), signal);
    if (res.status === 200) {
      const cookie = res.headers.get(SIGN_COOKIE_HEADER);
      if (!cookie) throw new UpstreamError('SIGN_FAILED', `sign provider answered without the ${SIGN_COOKIE_HEADER} header`);
      return { body: res.body, cookie };
    }
    const message = providerMessage(res);
    if (res.status === 429) {
      if (attempt < o.signRetries) {
        await sleep(fullJitterDelay(attempt + 1, o.signRetryBaseMs, o.signRetryMaxMs), signal);
        continue;
      }
      throw new UpstreamError(
        'SIGN_RATE_LIMITED',
        `sign provider rate limit: HTTP 429 on ${attempt + 1} attempts${message ? ` (${message})` : ''}; ` +
          'wait before connecting again or use a sign API key with a higher limit',
      );
    }
    if (res.status === 401 || res.status === 403) {
      throw new UpstreamError('SIGN_FAILED', `sign provider rejected the API key: HTTP ${res.status}${message ? ` (${message})` : ''}`);
    }
    throw new UpstreamError('SIGN_FAILED', `sign provider failed: HTTP ${res.status}${message ? ` (${message})` : ''}`);
  }
}
