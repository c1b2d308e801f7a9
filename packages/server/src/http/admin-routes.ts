import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthThrottle } from '../auth/auth-throttle.js';
import type { KeyStore } from '../auth/key-store.js';
import type { Tiers } from '../auth/tiers.js';
import { clientAddress } from '../transport/client-address.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import { bearer } from '../transport/credentials.js';
import { HttpError, readJson, sendJson, stringList } from './rest.js';

export interface AdminDeps {
  adminToken: string | undefined;
  /** Shared with API keys: failed admin tokens count against the client address too. */
  throttle: AuthThrottle;
  trustProxy: boolean;
  keys: KeyStore;
  tiers: Tiers;
  usage: UsageRecorder;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Unlike an API key, a right admin token from a throttled address is refused too: the
 * token is one secret an operator chose, and guessing it must stay slow.
 */
function checkAdmin(deps: AdminDeps, req: IncomingMessage): void {
  if (!deps.adminToken) throw new HttpError(404, 'NOT_FOUND', 'the admin API is disabled: set TIKTOOL_ADMIN_TOKEN');
  const address = clientAddress(req, deps.trustProxy);
  const wait = deps.throttle.retryAfterS(address);
  if (wait > 0) {
    throw new HttpError(429, 'RATE_LIMITED', `too many failed authentications from this address; retry after ${wait} s`, {
      'retry-after': String(wait),
    });
  }
  const presented = bearer(req);
  if (!presented || !timingSafeEqual(digest(presented), digest(deps.adminToken))) {
    deps.throttle.recordFailure(address);
    throw new HttpError(401, 'UNAUTHORIZED', 'missing or invalid admin token');
  }
}

/** A list of creators, lower-cased; null clears the list, undefined leaves it. */
function creatorsField(value: unknown): string[] | null | undefined {
  const list = stringList(value, 'allowedCreators');
  return list ? list.map((c) => c.toLowerCase()) : list;
}

function tierField(deps: AdminDeps, value: unknown): string {
  if (typeof value !== 'string' || !deps.tiers.get(value)) {
    throw new HttpError(400, 'INVALID_PARAM', `tier must be one of ${deps.tiers.names().join(', ')}`);
  }
  return value;
}

/** `/v1/admin/keys...`: the same operations as `tiktool keys`, behind the admin token. */
export async function handleAdmin(deps: AdminDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (!path.startsWith('/v1/admin/')) return false;
  checkAdmin(deps, req);
  const m = /^\/v1\/admin\/keys(?:\/([A-Za-z0-9_]+))?(?:\/(revoke|usage))?$/.exec(path);
  if (!m) throw new HttpError(404, 'NOT_FOUND', `no route for ${path}`);
  const [, id, action] = m;
  const method = req.method ?? 'GET';
  if (!id && method === 'GET') {
    sendJson(res, 200, { keys: await deps.keys.list() });
    return true;
  }
  if (!id && method === 'POST') {
    const body = await readJson(req);
    const tier = tierField(deps, body.tier ?? 'community');
    const { key, record } = await deps.keys.create(tier, typeof body.label === 'string' ? body.label : '', {
      allowedOrigins: stringList(body.allowedOrigins, 'allowedOrigins') ?? null,
      allowedCreators: creatorsField(body.allowedCreators) ?? null,
    });
    sendJson(res, 201, { key, record });
    return true;
  }
  if (!id) throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use GET or POST');
  if (!(await deps.keys.lookup(id))) throw new HttpError(404, 'NOT_FOUND', `no key with id ${id}`);
  if (action === 'revoke' && method === 'POST') {
    // The key store's change hook closes its sockets (auth/revocation.ts).
    await deps.keys.revoke(id);
    sendJson(res, 200, { record: deps.keys.get(id) });
    return true;
  }
  if (action === 'usage' && method === 'GET') {
    sendJson(res, 200, { keyId: id, hours: await deps.usage.history(id) });
    return true;
  }
  if (!action && method === 'GET') {
    sendJson(res, 200, { record: deps.keys.get(id) });
    return true;
  }
  if (!action && method === 'PATCH') {
    const body = await readJson(req);
    if (body.tier !== undefined) await deps.keys.setTier(id, tierField(deps, body.tier));
    await deps.keys.setScope(id, {
      allowedOrigins: stringList(body.allowedOrigins, 'allowedOrigins'),
      allowedCreators: creatorsField(body.allowedCreators),
    });
    sendJson(res, 200, { record: deps.keys.get(id) });
    return true;
  }
  throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`);
}
