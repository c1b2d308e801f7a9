/**
 * Is a creator live right now? The same two lookups a connect starts with (room id, then
 * room info), without the first fetch or a push socket: what the live checker and the
 * REST live routes ask TikTok. Through the least used route, moving on when one is blocked.
 */

import type { HttpClient } from './http-client.js';
import type { ResolvedOptions } from './options.js';
import { fetchRoomSnapshot } from './room-info.js';
import { resolveRoomId } from './room-resolver.js';
import type { RoutePool } from './route-pool.js';
import { throughRoutes } from './through-routes.js';
import { UpstreamError, type LiveCheck } from './upstream.js';

async function lookOnce(uniqueId: string, o: ResolvedOptions, http: HttpClient, signal?: AbortSignal): Promise<LiveCheck> {
  try {
    const { roomId } = await resolveRoomId(uniqueId, o, http, signal);
    return { uniqueId, live: true, room: await fetchRoomSnapshot(uniqueId, roomId, o, http, signal), reason: undefined };
  } catch (err) {
    if (err instanceof UpstreamError && err.code === 'OFFLINE') return { uniqueId, live: false, room: undefined, reason: err.message };
    throw err;
  }
}

/**
 * The creator's live state. Rejects with an UpstreamError: USER_NOT_FOUND for a name
 * TikTok does not know, BLOCKED when every route is blocked, others as a connect would.
 */
export function checkLive(uniqueId: string, o: ResolvedOptions, routes: RoutePool, signal?: AbortSignal): Promise<LiveCheck> {
  return throughRoutes(routes, (http) => lookOnce(uniqueId, o, http, signal), signal);
}
