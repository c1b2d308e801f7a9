import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidParamError, normaliseUniqueId } from '@tiktool/protocol';
import type { ScopedTokens } from '../auth/scoped-token.js';
import { describeTier } from '../auth/tiers.js';
import { TOKEN_DEFAULT_TTL_S, TOKEN_MAX_TTL_S, TOKEN_MINTS_PER_MINUTE } from '../defaults.js';
import { rateLimited } from '../errors.js';
import type { Limiter } from '../limits/limiter.js';
import type { RequestAdmission } from '../limits/request-limiter.js';
import { admitRequest, principalOf, quotaOf, rateLimitHeaders, type GuardDeps } from './rest-guard.js';
import { HttpError, readJson, sendJson, stringList } from './rest.js';

export interface ApiDeps extends GuardDeps {
  tokens: ScopedTokens;
  limiter: Limiter;
}

/** Used and left of each request window, as `/v1/rate_limits` shows them. */
function requestUsage(admission: RequestAdmission) {
  const of = (w: 'minute' | 'day') => admission.windows.find((x) => x.window === w);
  const used = (w: 'minute' | 'day') => {
    const s = of(w);
    return s ? s.limit - s.remaining : null;
  };
  const reset = (w: 'minute' | 'day') => {
    const s = of(w);
    return s ? new Date(s.resetAt).toISOString() : null;
  };
  return { used: { thisMinute: used('minute'), today: used('day') }, reset: { minute: reset('minute'), day: reset('day') } };
}

/** Creator names to scope a token to; a malformed one is a 400 naming it. */
function creatorList(value: unknown): string[] {
  const creators = (stringList(value, 'creators') ?? []).map((c) => {
    try {
      return normaliseUniqueId(c);
    } catch (err) {
      if (err instanceof InvalidParamError) throw new InvalidParamError('creators', `creators: ${err.message}`);
      throw err;
    }
  });
  if (creators.length === 0) throw new HttpError(400, 'INVALID_PARAM', 'creators must list at least one username');
  return creators;
}

/** `GET /v1/rate_limits` and `POST /v1/jwt`; returns false when the path is not theirs. */
export async function handleApi(deps: ApiDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (path === '/v1/rate_limits') {
    if (req.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use GET');
    // Reading the limits does not count against them.
    const p = await principalOf(deps, req);
    const [usage, requests] = await Promise.all([deps.limiter.usage(p.key.id), deps.requests.peek(p.key.id, quotaOf(p.tier))]);
    const { used, reset } = requestUsage(requests);
    sendJson(
      res,
      200,
      {
        keyId: p.key.id,
        tier: p.tier.name,
        limits: describeTier(p.tier),
        usage: {
          sockets: usage.sockets,
          creators: usage.creators,
          connectsThisHour: usage.connectsInWindow,
          requestsThisMinute: used.thisMinute,
          requestsToday: used.today,
        },
        reset: {
          connects: usage.connectsResetAt ? new Date(usage.connectsResetAt).toISOString() : null,
          requestsMinute: reset.minute,
          requestsDay: reset.day,
        },
      },
      rateLimitHeaders(requests),
    );
    return true;
  }
  if (path === '/v1/jwt') {
    if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST');
    const p = await admitRequest(deps, req, res);
    const body = await readJson(req);
    const creators = creatorList(body.creators);
    if (p.creators !== null && creators.some((c) => !p.creators!.includes(c))) {
      throw new HttpError(403, 'FORBIDDEN', 'the key may not watch every creator asked for');
    }
    const maxSockets = body.maxSockets === undefined ? 1 : Number(body.maxSockets);
    if (!Number.isInteger(maxSockets) || maxSockets < 1 || maxSockets > p.tier.maxSockets) {
      throw new HttpError(400, 'INVALID_PARAM', `maxSockets must be an integer from 1 to ${p.tier.maxSockets}`);
    }
    const ttl = body.expiresIn === undefined ? TOKEN_DEFAULT_TTL_S : Number(body.expiresIn);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > TOKEN_MAX_TTL_S) {
      throw new HttpError(400, 'INVALID_PARAM', `expiresIn must be whole seconds from 1 to ${TOKEN_MAX_TTL_S}`);
    }
    const mint = await deps.limiter.mintToken(p.key.id, TOKEN_MINTS_PER_MINUTE);
    if (!mint.ok) {
      throw rateLimited(`too many tokens: a key may mint ${TOKEN_MINTS_PER_MINUTE} per minute; retry after ${mint.retryAfterS} s`);
    }
    const { token, claims } = await deps.tokens.issue(p.key.id, creators, maxSockets, ttl);
    sendJson(res, 201, { token, creators, maxSockets, expiresAt: new Date(claims.expiresAt).toISOString() });
    return true;
  }
  return false;
}
