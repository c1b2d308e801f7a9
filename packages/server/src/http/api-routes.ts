import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidParamError, normaliseUniqueId } from '@tiktool/protocol';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import type { ScopedTokens } from '../auth/scoped-token.js';
import { describeTier } from '../auth/tiers.js';
import { TOKEN_DEFAULT_TTL_S, TOKEN_MAX_TTL_S, TOKEN_MINTS_PER_MINUTE } from '../defaults.js';
import { rateLimited } from '../errors.js';
import type { Limiter, Usage } from '../limits/limiter.js';
import { clientAddress } from '../transport/client-address.js';
import { bearer } from '../transport/credentials.js';
import { HttpError, readJson, sendJson, stringList } from './rest.js';

export interface ApiDeps {
  trustProxy: boolean;
  authenticator: Authenticator;
  tokens: ScopedTokens;
  limiter: Limiter;
}

/** Connect-rate headers on every authenticated REST response; unlimited tiers say so. */
function rateLimitHeaders(p: Principal, usage: Usage): Record<string, string> {
  if (!Number.isFinite(p.tier.connectsPerHour)) return { 'x-ratelimit-policy': 'unlimited' };
  const reset = usage.connectsResetAt ?? Date.now();
  return {
    'x-ratelimit-limit': String(p.tier.connectsPerHour),
    'x-ratelimit-remaining': String(Math.max(0, p.tier.connectsPerHour - usage.connectsInWindow)),
    'x-ratelimit-reset': String(Math.ceil(reset / 1000)),
  };
}

/** The key a REST call presents (Bearer header or `apiKey` in the query). */
export function principalOf(deps: Pick<ApiDeps, 'authenticator' | 'trustProxy'>, req: IncomingMessage): Promise<Principal> {
  const url = new URL(req.url ?? '/', 'http://gateway');
  const key = bearer(req) ?? url.searchParams.get('apiKey') ?? undefined;
  return deps.authenticator.keyPrincipal(key, clientAddress(req, deps.trustProxy));
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
  if (creators.length === 0) throw new HttpError(400, 'invalid_field', 'creators must list at least one username');
  return creators;
}

/** `GET /v1/rate_limits` and `POST /v1/jwt`; returns false when the path is not theirs. */
export async function handleApi(deps: ApiDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (path === '/v1/rate_limits') {
    if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'use GET');
    const p = await principalOf(deps, req);
    const usage = await deps.limiter.usage(p.key.id);
    sendJson(
      res,
      200,
      {
        keyId: p.key.id,
        tier: p.tier.name,
        limits: describeTier(p.tier),
        usage: { sockets: usage.sockets, creators: usage.creators, connectsThisHour: usage.connectsInWindow },
        reset: { connects: usage.connectsResetAt ? new Date(usage.connectsResetAt).toISOString() : null },
      },
      rateLimitHeaders(p, usage),
    );
    return true;
  }
  if (path === '/v1/jwt') {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST');
    const p = await principalOf(deps, req);
    const body = await readJson(req);
    const creators = creatorList(body.creators);
    if (p.creators !== null && creators.some((c) => !p.creators!.includes(c))) {
      throw new HttpError(403, 'forbidden', 'the key may not watch every creator asked for');
    }
    const maxSockets = body.maxSockets === undefined ? 1 : Number(body.maxSockets);
    if (!Number.isInteger(maxSockets) || maxSockets < 1 || maxSockets > p.tier.maxSockets) {
      throw new HttpError(400, 'invalid_field', `maxSockets must be an integer from 1 to ${p.tier.maxSockets}`);
    }
    const ttl = body.expiresIn === undefined ? TOKEN_DEFAULT_TTL_S : Number(body.expiresIn);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > TOKEN_MAX_TTL_S) {
      throw new HttpError(400, 'invalid_field', `expiresIn must be whole seconds from 1 to ${TOKEN_MAX_TTL_S}`);
    }
    const mint = await deps.limiter.mintToken(p.key.id, TOKEN_MINTS_PER_MINUTE);
    if (!mint.ok) {
      throw rateLimited(`too many tokens: a key may mint ${TOKEN_MINTS_PER_MINUTE} per minute; retry after ${mint.retryAfterS} s`);
    }
    const { token, claims } = await deps.tokens.issue(p.key.id, creators, maxSockets, ttl);
    const usage = await deps.limiter.usage(p.key.id);
    sendJson(res, 201, { token, creators, maxSockets, expiresAt: new Date(claims.expiresAt).toISOString() }, rateLimitHeaders(p, usage));
    return true;
  }
  return false;
}
