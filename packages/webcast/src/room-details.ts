/** A live creator's room in detail: the room id, then {webcastUrl}/webcast/room/info/ read in full. */

import { ROOM_INFO_AGE_RESTRICTED, ROOM_STATUS_OFFLINE, TIKTOK_WEB_AID } from './defaults.js';
import { parseJson, type HttpClient } from './http-client.js';
import { tiktokHeaders, type ResolvedOptions } from './options.js';
import { ageRestricted, num } from './room-info.js';
import { asRecord, blockedOrFailed, idString, resolveRoomId } from './room-resolver.js';
import { UpstreamError, type RoomDetails, type StreamUrl } from './upstream.js';

const STEP = 'room info';

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** TikTok's image objects: `{url_list: [...]}`. */
const firstUrl = (image: unknown) => text((asRecord(image)?.url_list as unknown[] | undefined)?.[0]);

/** `stream_url.flv_pull_url` maps quality -> URL; `hls_pull_url` is one URL. */
function streamUrls(stream: Record<string, unknown> | undefined): StreamUrl[] {
  const urls: StreamUrl[] = [];
  for (const [quality, url] of Object.entries(asRecord(stream?.flv_pull_url) ?? {})) {
    if (typeof url === 'string' && url) urls.push({ format: 'flv', quality, url });
  }
  const hls = text(stream?.hls_pull_url);
  if (hls) urls.push({ format: 'hls', quality: 'default', url: hls });
  return urls;
}

function detailsOf(uniqueId: string, roomId: string, data: Record<string, unknown>): RoomDetails {
  const owner = asRecord(data.owner) ?? {};
  const created = num(data.create_time);
  return {
    roomId,
    uniqueId,
    title: text(data.title),
    viewerCount: num(data.user_count),
    likeCount: num(asRecord(data.stats)?.like_count),
    owner: {
      userId: idString(owner.id_str ?? owner.id),
      uniqueId: text(owner.display_id) || uniqueId,
      nickname: text(owner.nickname),
      profilePictureUrl: firstUrl(owner.avatar_thumb),
    },
    startTime: created > 0 ? created * 1000 : undefined,
    streamUrls: streamUrls(asRecord(data.stream_url)),
  };
}

/** Rejects with OFFLINE when the creator is not live, USER_NOT_FOUND, AGE_RESTRICTED, BLOCKED or PROTOCOL. */
export async function fetchRoomDetails(uniqueId: string, o: ResolvedOptions, http: HttpClient, signal?: AbortSignal): Promise<RoomDetails> {
  const { roomId } = await resolveRoomId(uniqueId, o, http, signal);
  const q = new URLSearchParams({ aid: TIKTOK_WEB_AID, room_id: roomId });
  const res = await http.get(STEP, `${o.webcastUrl}/webcast/room/info/?${q}`, tiktokHeaders(o), signal);
  if (res.status !== 200) throw blockedOrFailed(res.status, STEP);
  const body = asRecord(parseJson(res, STEP));
  if (num(body?.status_code) === ROOM_INFO_AGE_RESTRICTED) throw ageRestricted(uniqueId, o);
  const data = asRecord(body?.data);
  if (!data || num(data.status) === ROOM_STATUS_OFFLINE || !idString(data.id_str)) {
    throw new UpstreamError('OFFLINE', `@${uniqueId} is not live (room ${roomId} has ended)`);
  }
  return detailsOf(uniqueId, roomId, data);
}
