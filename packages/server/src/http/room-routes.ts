import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RoomAnswer } from '@tiktool/protocol';
import type { RoomDetails } from '@tiktool/webcast';
import type { CreatorLookups } from '../lookups/creator-lookups.js';
import { admitRequest, creatorParam, onlyMethod, type GuardDeps } from './rest-guard.js';
import { sendJson } from './rest.js';

export interface RoomRouteDeps extends GuardDeps {
  lookups: Pick<CreatorLookups, 'room'>;
}

const roomJson = (room: RoomDetails): RoomAnswer => ({
  roomId: room.roomId,
  uniqueId: room.uniqueId,
  title: room.title,
  startTime: room.startTime === undefined ? null : new Date(room.startTime).toISOString(),
  viewerCount: room.viewerCount,
  likeCount: room.likeCount,
  owner: room.owner,
  streamUrls: room.streamUrls,
});

/** `GET /v1/rooms/{uniqueId}`: a live creator's room; 404 NOT_LIVE or USER_NOT_FOUND otherwise. */
export async function handleRooms(deps: RoomRouteDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  const m = /^\/v1\/rooms\/([^/]+)$/.exec(path);
  if (!m) return false;
  onlyMethod(req, 'GET');
  const principal = await admitRequest(deps, req, res);
  sendJson(res, 200, roomJson(await deps.lookups.room(creatorParam(principal, m[1]))));
  return true;
}
