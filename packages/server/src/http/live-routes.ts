import type { IncomingMessage, ServerResponse } from 'node:http';
import { normaliseUniqueId, type BulkLiveEntry, type LiveStatusAnswer } from '@tiktool/protocol';
import type { Principal } from '../auth/authenticator.js';
import type { LiveAnswer, LiveLookups } from '../live/live-lookups.js';
import type { Logger } from '../logger.js';
import { admitRequest, allowedCreator, creatorParam, onlyMethod, type GuardDeps } from './rest-guard.js';
import { HttpError, httpErrorOf, readJson, sendJson } from './rest.js';

export interface LiveRouteDeps extends GuardDeps {
  live: Pick<LiveLookups, 'lookup'>;
  logger: Logger;
}

/** A live answer as REST shows it: room fields are null while the creator is not live. */
function liveJson(answer: LiveAnswer): LiveStatusAnswer {
  return {
    uniqueId: answer.uniqueId,
    live: answer.live,
    roomId: answer.room?.roomId ?? null,
    title: answer.room?.title ?? null,
    viewerCount: answer.room?.viewerCount ?? null,
    checkedAt: new Date(answer.checkedAt).toISOString(),
  };
}

/** The names of a bulk check: an array of 1 to the tier's maximum strings. */
function bulkNames(principal: Principal, value: unknown): string[] {
  const max = principal.tier.maxBulkNames;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw new HttpError(400, 'INVALID_PARAM', 'uniqueIds must be a non-empty array of usernames');
  }
  if (value.length > max) {
    throw new HttpError(400, 'INVALID_PARAM', `uniqueIds may list at most ${max} names on tier ${principal.tier.name}`);
  }
  return value as string[];
}

/** One name's entry of a bulk answer: its live state, or its error in the shape of a failed answer. */
async function bulkEntry(deps: LiveRouteDeps, principal: Principal, given: string): Promise<BulkLiveEntry> {
  try {
    const uniqueId = normaliseUniqueId(given);
    allowedCreator(principal, uniqueId);
    return liveJson(await deps.live.lookup(uniqueId));
  } catch (err) {
    const known = httpErrorOf(err);
    if (!known) deps.logger.error({ err, uniqueId: given }, 'bulk live check failed');
    const { code, message } = known ?? { code: 'INTERNAL_ERROR' as const, message: 'internal error' };
    return { uniqueId: given, error: { code, message } };
  }
}

/** `GET /v1/live/{uniqueId}` and `POST /v1/live/bulk`; false when the path is not theirs. */
export async function handleLive(deps: LiveRouteDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (path === '/v1/live/bulk') {
    onlyMethod(req, 'POST');
    const principal = await admitRequest(deps, req, res);
    const names = bulkNames(principal, (await readJson(req)).uniqueIds);
    // Names repeated in one call are asked once: the lookups coalesce them.
    const results = await Promise.all(names.map((n) => bulkEntry(deps, principal, n)));
    sendJson(res, 200, { results });
    return true;
  }
  const m = /^\/v1\/live\/([^/]+)$/.exec(path);
  if (!m) return false;
  onlyMethod(req, 'GET');
  const principal = await admitRequest(deps, req, res);
  sendJson(res, 200, liveJson(await deps.live.lookup(creatorParam(principal, m[1]))));
  return true;
}
