/**
 * The sign provider: TikTok requires a signed first fetch before the push WebSocket,
 * and a provider does the signing. De facto API:
 * GET {signUrl}/webcast/rooms/{roomId}/connect?client=..&cursor=..&client_enter=true
 * with X-Api-Key; 200 = protobuf fetch result + `x-set-tt-cookie`, 429 = rate limited
 * (JSON message, maybe Retry-After), 401/402/403 = key problems. Every call first takes
 * a slot of the sign budget.
 */

import { fullJitterDelay } from '@tiktool/protocol';
import { MAX_SIGN_RETRY_AFTER_MS } from './defaults.js';
import { scrubUrls, type HttpClient, type HttpResponse } from './http-client.js';
import type { ResolvedOptions } from './options.js';
import type { SignBudget } from './sign-budget.js';
import { UpstreamError } from './upstream.js';

export const SIGN_COOKIE_HEADER = 'x-set-tt-cookie';
const STEP = 'sign provider';

export function signHeaders(o: ResolvedOptions): Record<string, string> {
  const h: Record<string, string> = { 'User-Agent': o.userAgent, Accept: 'application/protobuf, application/json' };
  if (o.signApiKey) h['X-Api-Key'] = o.signApiKey;
  return h;
}

/** The provider's JSON error message, if its body has one, with any URL in it removed. */
function providerMessage(res: HttpResponse): string {
  let text: string;
  try {
    const body = JSON.parse(res.body.toString('utf8')) as { message?: unknown; limit_label?: unknown };
    const label = typeof body.limit_label === 'string' ? `(${body.limit_label}) ` : '';
    text = typeof body.message === 'string' ? label + body.message : '';
  } catch {
    text = res.body.subarray(0, 200).toString('utf8');
  }
  const clean = scrubUrls(text).replace(/\s+/g, ' ').trim();
  return clean ? ` (${clean})` : '';
}

/** Retry-After in ms (seconds or an HTTP date); undefined when absent or not believable. */
export function retryAfterMs(res: HttpResponse, now: number): number | undefined {
  const raw = res.headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  const ms = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw) - now;
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_SIGN_RETRY_AFTER_MS) return undefined;
  return Math.ceil(ms);
}

export interface SignedConnect {
  /** The protobuf fetch result. */
  body: Buffer;
  /** Cookie header for the push WebSocket. */
  cookie: string;
}

/**
 * Calls the provider's connect, each attempt within the budget. A 429 is retried
 * `signRetries` times: after its Retry-After (which pauses the budget for every
 * creator), or else after a full-jitter backoff.
 */
export async function signConnect(
  roomId: string,
  cursor: string,
  o: ResolvedOptions,
  http: HttpClient,
  budget: SignBudget,
  signal?: AbortSignal,
): Promise<SignedConnect> {
  const q = new URLSearchParams({ client: o.clientName, cursor, client_enter: 'true' });
  const url = `${o.signUrl}/webcast/rooms/${encodeURIComponent(roomId)}/connect?${q}`;
  for (let attempt = 0; ; attempt++) {
    await budget.take(signal);
    const res = await http.get(STEP, url, signHeaders(o), signal).catch((err: unknown) => {
      o.observer?.signCall?.('failed');
      throw err;
    });
    if (res.status === 200) {
      const cookie = res.headers.get(SIGN_COOKIE_HEADER);
      o.observer?.signCall?.(cookie ? 'ok' : 'failed');
      if (!cookie) throw new UpstreamError('SIGN_FAILED', `${STEP} answered without the ${SIGN_COOKIE_HEADER} header`);
      return { body: res.body, cookie };
    }
    const message = providerMessage(res);
    if (res.status === 429) {
      o.observer?.signCall?.('rate_limited');
      const after = retryAfterMs(res, o.clock.now());
      if (attempt < o.signRetries) {
        if (after !== undefined) await budget.pause(after);
        else await o.clock.sleep(fullJitterDelay(attempt + 1, { baseDelayMs: o.signRetryBaseMs, maxDelayMs: o.signRetryMaxMs }), signal);
        continue;
      }
      const wait = after !== undefined ? `retry after ${Math.ceil(after / 1000)} s` : 'wait before connecting again';
      throw new UpstreamError(
        'SIGN_RATE_LIMITED',
        `${STEP} rate limit: HTTP 429 on ${attempt + 1} attempts${message}; ${wait} or use a sign API key with a higher limit`,
      );
    }
    o.observer?.signCall?.(res.status === 401 || res.status === 402 || res.status === 403 ? 'rejected' : 'failed');
    if (res.status === 401 || res.status === 402 || res.status === 403) {
      throw new UpstreamError('SIGN_FAILED', `${STEP} rejected the API key: HTTP ${res.status}${message}`);
    }
    throw new UpstreamError('SIGN_FAILED', `${STEP} failed: HTTP ${res.status}${message}`);
  }
}
