/**
 * uniqueId -> roomId, trying the configured sources in order: the live page's
 * SIGI_STATE, api-live, the sign provider's anchors endpoint. The first source that
 * finds the room wins; one that says the creator is offline ends the lookup. When none
 * finds it, the error says why: USER_NOT_FOUND if a source said so, else BLOCKED, else
 * the first failure.
 */

import { API_LIVE_USER_NOT_FOUND, ROOM_STATUS_OFFLINE, TIKTOK_WEB_AID } from './defaults.js';
import { parseJson, scrubUrls, type HttpClient } from './http-client.js';
import { tiktokHeaders, type ResolvedOptions, type RoomIdSource } from './options.js';
import { signHeaders } from './sign-provider.js';
import { UpstreamError } from './upstream.js';

export interface ResolvedRoom {
  roomId: string;
  source: RoomIdSource;
}

const SIGI_STATE = /<script id="SIGI_STATE" type="application\/json">([\s\S]*?)<\/script>/;

type Lookup = (uniqueId: string, o: ResolvedOptions, http: HttpClient, signal?: AbortSignal) => Promise<string>;

function notFound(uniqueId: string, where: string): UpstreamError {
  return new UpstreamError('USER_NOT_FOUND', `TikTok user @${uniqueId} not found (${where})`);
}

function offline(uniqueId: string, where: string): UpstreamError {
  return new UpstreamError('OFFLINE', `@${uniqueId} is not live (${where})`);
}

/** 403 and 429 from TikTok mean this address is blocked or rate limited. */
export function blockedOrFailed(status: number, step: string): UpstreamError {
  if (status === 403 || status === 429) return new UpstreamError('BLOCKED', `${step}: HTTP ${status}, TikTok is blocking this address`);
  return new UpstreamError('PROTOCOL', `${step}: unexpected HTTP ${status}`);
}

const LIVE_PAGE = 'room lookup (live page)';
const API_LIVE = 'room lookup (api-live)';
const SIGN_LOOKUP = 'room lookup (sign provider)';

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

export function idString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return '';
}

/** A room id of "" or "0" means the user exists but has no room. */
export function hasRoom(roomId: string): boolean {
  return roomId !== '' && roomId !== '0';
}

/** A user and their live room as the live page (SIGI_STATE) and api-live show them. */
export interface UserRoom {
  user: Record<string, unknown>;
  liveRoom: Record<string, unknown> | undefined;
}

type UserRoomFetch = (uniqueId: string, o: ResolvedOptions, http: HttpClient, signal?: AbortSignal) => Promise<UserRoom>;

const livePageUserRoom: UserRoomFetch = async (uniqueId, o, http, signal) => {
  const url = `${o.webUrl}/@${encodeURIComponent(uniqueId)}/live`;
  const res = await http.get(LIVE_PAGE, url, tiktokHeaders(o), signal);
  if (res.status === 404) throw notFound(uniqueId, 'live page');
  if (res.status !== 200) throw blockedOrFailed(res.status, LIVE_PAGE);
  const match = SIGI_STATE.exec(res.body.toString('utf8'));
  if (!match) throw new UpstreamError('BLOCKED', `${LIVE_PAGE}: no SIGI_STATE in the page (a captcha or block page)`);
  let state: unknown;
  try {
    state = JSON.parse(match[1]);
  } catch (err) {
    throw new UpstreamError('PROTOCOL', `${LIVE_PAGE}: SIGI_STATE is not JSON`, { cause: err });
  }
  const info = asRecord(asRecord(asRecord(state)?.LiveRoom)?.liveRoomUserInfo);
  const user = asRecord(info?.user);
  if (!user) throw notFound(uniqueId, 'live page');
  return { user, liveRoom: asRecord(info?.liveRoom) };
};

const apiLiveUserRoom: UserRoomFetch = async (uniqueId, o, http, signal) => {
  const q = new URLSearchParams({ aid: TIKTOK_WEB_AID, uniqueId, sourceType: '54' });
  const url = `${o.webUrl}/api-live/user/room/?${q}`;
  const res = await http.get(API_LIVE, url, tiktokHeaders(o), signal);
  if (res.status !== 200) throw blockedOrFailed(res.status, API_LIVE);
  const body = asRecord(parseJson(res, API_LIVE));
  const statusCode = Number(body?.statusCode ?? 0);
  if (statusCode === API_LIVE_USER_NOT_FOUND) throw notFound(uniqueId, 'api-live');
  if (statusCode !== 0) {
    throw new UpstreamError('PROTOCOL', `${API_LIVE}: statusCode ${statusCode} (${scrubUrls(String(body?.message ?? 'no message'))})`);
  }
  const data = asRecord(body?.data);
  const user = asRecord(data?.user);
  if (!user) throw notFound(uniqueId, 'api-live');
  return { user, liveRoom: asRecord(data?.liveRoom) };
};

/** The user and room from the live page (`html`) or api-live (`api`). */
export const USER_ROOM_SOURCES: Readonly<Record<Exclude<RoomIdSource, 'sign'>, UserRoomFetch>> = {
  html: livePageUserRoom,
  api: apiLiveUserRoom,
};

/** The room id of a user who is live; OFFLINE otherwise. */
function liveRoomId(uniqueId: string, { user, liveRoom }: UserRoom, where: string): string {
  const roomId = idString(user.roomId);
  const status = Number(liveRoom?.status ?? 0);
  if (status === ROOM_STATUS_OFFLINE || !hasRoom(roomId)) throw offline(uniqueId, where);
  return roomId;
}

const fromLivePage: Lookup = async (uniqueId, o, http, signal) =>
  liveRoomId(uniqueId, await livePageUserRoom(uniqueId, o, http, signal), 'live page');

const fromApiLive: Lookup = async (uniqueId, o, http, signal) =>
  liveRoomId(uniqueId, await apiLiveUserRoom(uniqueId, o, http, signal), 'api-live');

const fromSignProvider: Lookup = async (uniqueId, o, http, signal) => {
  const url = `${o.signUrl}/webcast/anchors/${encodeURIComponent(uniqueId)}/room_id`;
  const res = await http.get(SIGN_LOOKUP, url, signHeaders(o), signal);
  const body = asRecord(parseJson(res, SIGN_LOOKUP));
  const message = scrubUrls(String(body?.message ?? ''));
  if (res.status === 404 || Number(body?.code) === 404) throw notFound(uniqueId, `sign provider: ${message || 'not found'}`);
  if (res.status === 429) throw new UpstreamError('SIGN_RATE_LIMITED', `${SIGN_LOOKUP}: HTTP 429 (${message})`);
  if (res.status !== 200 || body?.ok === false) {
    throw new UpstreamError('SIGN_FAILED', `${SIGN_LOOKUP}: HTTP ${res.status} ${message}`.trim());
  }
  const roomId = idString(body?.room_id);
  if (body?.is_live === false || !hasRoom(roomId)) throw offline(uniqueId, 'sign provider');
  return roomId;
};

const LOOKUPS: Record<RoomIdSource, Lookup> = { html: fromLivePage, api: fromApiLive, sign: fromSignProvider };

export async function resolveRoomId(uniqueId: string, o: ResolvedOptions, http: HttpClient, signal?: AbortSignal): Promise<ResolvedRoom> {
  const errors: UpstreamError[] = [];
  for (const source of o.roomIdSources) {
    try {
      return { roomId: await LOOKUPS[source](uniqueId, o, http, signal), source };
    } catch (err) {
      if (signal?.aborted) throw err;
      const e = err instanceof UpstreamError ? err : new UpstreamError('PROTOCOL', String(err), { cause: err });
      if (e.code === 'OFFLINE') throw e;
      errors.push(e);
    }
  }
  throw combinedError(errors, 'no room id source is configured');
}

/**
 * One error for the failures of every source tried: USER_NOT_FOUND if a source said so,
 * else BLOCKED, else the first, naming the others.
 */
export function combinedError(errors: UpstreamError[], whenNone: string): UpstreamError {
  const pick = (code: string) => errors.find((e) => e.code === code);
  const chosen = pick('USER_NOT_FOUND') ?? pick('BLOCKED') ?? errors[0];
  if (!chosen) return new UpstreamError('PROTOCOL', whenNone);
  if (errors.length === 1) return chosen;
  const others = errors
    .filter((e) => e !== chosen)
    .map((e) => e.message)
    .join('; ');
  return new UpstreamError(chosen.code, `${chosen.message}; other lookups: ${others}`, { cause: chosen });
}
