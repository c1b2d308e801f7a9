import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidParamError, normaliseUniqueId } from '@tiktool/protocol';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import type { Tier } from '../auth/tiers.js';
import type { RequestAdmission, RequestLimiter, RequestQuota } from '../limits/request-limiter.js';
import { clientAddress } from '../transport/client-address.js';
import { bearer } from '../transport/credentials.js';
import { HttpError } from './rest.js';

/** What authenticates a REST request and counts it against the key's tier. */
export interface GuardDeps {
  trustProxy: boolean;
  authenticator: Authenticator;
  requests: RequestLimiter;
}

/** The key, like the socket's: `Authorization: Bearer KEY` or `?apiKey=KEY`. */
export function principalOf(deps: GuardDeps, req: IncomingMessage): Promise<Principal> {
  const url = new URL(req.url ?? '/', 'http://gateway');
  const key = bearer(req) ?? url.searchParams.get('apiKey') ?? undefined;
  return deps.authenticator.keyPrincipal(key, clientAddress(req, deps.trustProxy));
}

export const quotaOf = (tier: Tier): RequestQuota => ({ perMinute: tier.requestsPerMinute, perDay: tier.requestsPerDay });

/**
 * `X-RateLimit-*` of the window closest to its limit (the minute's on a tie); a tier
 * without request limits says `X-RateLimit-Policy: unlimited`.
 */
export function rateLimitHeaders(admission: RequestAdmission): Record<string, string> {
  const [tightest] = [...admission.windows].sort((a, b) => a.remaining - b.remaining);
  if (!tightest) return { 'x-ratelimit-policy': 'unlimited' };
  return {
    'x-ratelimit-limit': String(tightest.limit),
    'x-ratelimit-remaining': String(tightest.remaining),
    'x-ratelimit-reset': String(Math.ceil(tightest.resetAt / 1000)),
  };
}

function setHeaders(res: ServerResponse, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

/**
 * Authenticates the request and counts it: its answer, an error too, carries the
 * `X-RateLimit-*` headers; a full window is 429 with Retry-After.
 */
export async function admitRequest(deps: GuardDeps, req: IncomingMessage, res: ServerResponse): Promise<Principal> {
  const principal = await principalOf(deps, req);
  const admission = await deps.requests.take(principal.key.id, quotaOf(principal.tier));
  setHeaders(res, rateLimitHeaders(admission));
  if (!admission.ok) {
    const limit = admission.refusedBy === 'minute' ? principal.tier.requestsPerMinute : principal.tier.requestsPerDay;
    throw new HttpError(
      429,
      'RATE_LIMITED',
      `too many requests: tier ${principal.tier.name} allows ${limit} per ${admission.refusedBy}; retry after ${admission.retryAfterS} s`,
      { 'retry-after': String(admission.retryAfterS) },
    );
  }
  return principal;
}

/** The creator a path names, validated like the socket's `uniqueId`; 403 when the key may not ask about it. */
export function creatorParam(principal: Principal, segment: string): string {
  let raw: string;
  try {
    raw = decodeURIComponent(segment);
  } catch {
    throw new InvalidParamError('uniqueId', 'uniqueId holds malformed percent-encoding');
  }
  const uniqueId = normaliseUniqueId(raw);
  allowedCreator(principal, uniqueId);
  return uniqueId;
}

export function allowedCreator(principal: Principal, uniqueId: string): void {
  if (principal.creators !== null && !principal.creators.includes(uniqueId)) {
    throw new HttpError(403, 'FORBIDDEN', `this key may not ask about ${uniqueId}`);
  }
}

/** 405 unless the request uses `method`. */
export function onlyMethod(req: IncomingMessage, method: 'GET' | 'POST'): void {
  if (req.method !== method) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `use ${method}`);
}
