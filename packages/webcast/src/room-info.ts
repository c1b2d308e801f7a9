/** GET {webcastUrl}/webcast/room/info/: title, counts and whether the room is live. */

import { ROOM_INFO_AGE_RESTRICTED, ROOM_STATUS_OFFLINE, TIKTOK_WEB_AID } from './defaults.js';
import { parseJson, type HttpClient } from './http-client.js';
import { tiktokHeaders, type ResolvedOptions } from './options.js';
import { blockedOrFailed } from './room-resolver.js';
import { UpstreamError, type RoomSnapshot } from './upstream.js';

const STEP = 'room info';

export function ageRestricted(uniqueId: string, o: ResolvedOptions): UpstreamError {
  const why = o.sessionCookie
    ? "TikTok did not accept the gateway's session cookie (TIKTOK_SESSION_ID, TIKTOK_TARGET_IDC)"
    : 'the gateway needs a logged-in session cookie (TIKTOK_SESSION_ID) to watch it';
  return new UpstreamError('AGE_RESTRICTED', `@${uniqueId}'s LIVE is age-restricted: ${why}`);
}

export function num(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

/**
 * The room's snapshot; throws OFFLINE when the room has ended, AGE_RESTRICTED when it
 * needs a logged-in viewer, BLOCKED on 403/429. Any other failure yields a snapshot with
 * empty title and zero counts: room info is cosmetic, the push connection is what matters.
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
    const res = await http.get(STEP, `${o.webcastUrl}/webcast/room/info/?${q}`, tiktokHeaders(o), signal);
    if (res.status === 403 || res.status === 429) throw blockedOrFailed(res.status, STEP);
    if (res.status !== 200) return snapshot;
    body = parseJson(res, STEP) as Record<string, unknown>;
  } catch (err) {
    if (signal?.aborted || (err instanceof UpstreamError && err.code === 'BLOCKED')) throw err;
    return snapshot;
  }
  if (num(body?.status_code) === ROOM_INFO_AGE_RESTRICTED) throw ageRestricted(uniqueId, o);
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
