/** GET {webcastUrl}/webcast/room/info/: title, counts and whether the room is live. */

import { ROOM_STATUS_OFFLINE, TIKTOK_WEB_AID } from './defaults.js';
import { parseJson, type HttpClient } from './http-client.js';
import { tiktokHeaders, type ResolvedOptions } from './options.js';
import { UpstreamError, type RoomSnapshot } from './upstream.js';

function num(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

/**
 * The room's snapshot; throws OFFLINE when the room has ended. Any other failure yields
 * a snapshot with empty title and zero counts: room info is cosmetic, the push
 * connection is what matters.
 */
export async function fetchRoomSnapshot(
  uniqueId: string,
  roomId: string,
  o: ResolvedOptions,
  http: HttpClient,
  signal?: AbortSignal,
): Promise<RoomSnapshot> {
  const snapshot: RoomSnapshot = { roomId, uniqueId, title: '', viewerCount: 0, likeCount: 0 };
  const q = new URLSearchParams({ aid: TIKTOK_WEB_AID, room_id: roomId });
  let body: Record<string, unknown> | undefined;
  try {
    const res = await http.get(`${o.webcastUrl}/webcast/room/info/?${q}`, tiktokHeaders(o), signal);
    if (res.status !== 200) return snapshot;
    body = parseJson(res, 'room info') as Record<string, unknown>;
  } catch (err) {
    if (signal?.aborted) throw err;
    return snapshot;
  }
  const data = (body?.data ?? {}) as Record<string, unknown>;
  if (num(data.status) === ROOM_STATUS_OFFLINE) {
    throw new UpstreamError('OFFLINE', `@${uniqueId} is not live (room ${roomId} has ended)`);
  }
  const stats = (data.stats ?? {}) as Record<string, unknown>;
  snapshot.title = typeof data.title === 'string' ? data.title : '';
  snapshot.viewerCount = num(data.user_count);
  snapshot.likeCount = num(stats.like_count);
  return snapshot;
}
