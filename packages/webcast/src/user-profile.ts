/** uniqueId -> the user's profile, from the live page's SIGI_STATE or api-live (in the configured order). */

import { ROOM_STATUS_OFFLINE } from './defaults.js';
import type { HttpClient } from './http-client.js';
import type { ResolvedOptions } from './options.js';
import { combinedError, hasRoom, idString, USER_ROOM_SOURCES, type UserRoom } from './room-resolver.js';
import { UpstreamError, type UserProfile } from './upstream.js';

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** The largest picture TikTok gives; the web JSON names them avatarLarger, avatarMedium, avatarThumb. */
function picture(user: Record<string, unknown>): string {
  return text(user.avatarLarger) || text(user.avatarMedium) || text(user.avatarThumb);
}

function profileOf(uniqueId: string, { user, liveRoom }: UserRoom): UserProfile {
  const roomId = idString(user.roomId);
  const live = hasRoom(roomId) && Number(liveRoom?.status ?? 0) !== ROOM_STATUS_OFFLINE;
  return {
    userId: idString(user.id),
    uniqueId: text(user.uniqueId) || uniqueId,
    nickname: text(user.nickname),
    profilePictureUrl: picture(user),
    roomId: live ? roomId : undefined,
  };
}

/** Rejects with USER_NOT_FOUND when a source says so, BLOCKED when blocked, else the first failure. */
export async function fetchUserProfile(uniqueId: string, o: ResolvedOptions, http: HttpClient, signal?: AbortSignal): Promise<UserProfile> {
  const errors: UpstreamError[] = [];
  for (const source of o.roomIdSources) {
    if (source === 'sign') continue;
    try {
      return profileOf(uniqueId, await USER_ROOM_SOURCES[source](uniqueId, o, http, signal));
    } catch (err) {
      if (signal?.aborted) throw err;
      errors.push(err instanceof UpstreamError ? err : new UpstreamError('PROTOCOL', String(err), { cause: err }));
    }
  }
  throw combinedError(errors, 'user lookups need the live page or api-live among the room id sources');
}
