/**
 * TikTok's own endpoints as the WebCast client calls them: the live page with
 * SIGI_STATE, api-live's user room, room info, and im/fetch.
 */

import type { CreatorRoom } from './creator-room.js';
import * as D from './defaults.js';
import { AGE_RESTRICTED_STATUS, ageGateCloses } from './faults.js';
import { json } from './http-json.js';
import { sendFetchResult, type Route, type RouteContext } from './http-routes.js';

function escapeScript(jsonText: string): string {
  return jsonText.replace(/</g, '\\u003c');
}

function roomStatus(room: CreatorRoom): number {
  return room.status === 'ended' ? D.ROOM_STATUS_OFFLINE : D.ROOM_STATUS_LIVE;
}

function userJson(room: CreatorRoom) {
  return {
    id: room.hostUserId,
    uniqueId: room.uniqueId,
    nickname: room.uniqueId,
    roomId: room.roomId,
    secUid: `MS4wLjABAAAA${room.hostUserId}`,
    status: roomStatus(room),
  };
}

function liveRoomJson(room: CreatorRoom) {
  return {
    status: roomStatus(room),
    title: room.title,
    startTime: Math.floor(Date.now() / 1000),
    liveRoomStats: { userCount: room.viewerCount },
  };
}

export function tiktokRoutes({ registry, pushUrl }: RouteContext): Route[] {
  return [
    [
      /^\/@([^/]+)\/live\/?$/,
      (_req, res, m) => {
        const room = registry.lookUp(decodeURIComponent(m[1]));
        const state = room ? { LiveRoom: { liveRoomUserInfo: { user: userJson(room), liveRoom: liveRoomJson(room) } } } : { LiveRoom: {} };
        const html =
          '<!DOCTYPE html><html><head><title>TikTok LIVE</title></head><body>' +
          `<script id="SIGI_STATE" type="application/json">${escapeScript(JSON.stringify(state))}</script>` +
          '</body></html>';
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(html);
      },
    ],
    [
      /^\/api-live\/user\/room\/?$/,
      (_req, res, _m, q) => {
        const room = registry.lookUp(q.get('uniqueId') ?? '');
        if (!room) {
          json(res, 200, { statusCode: D.API_LIVE_USER_NOT_FOUND, message: 'user_not_found', data: {} });
          return;
        }
        json(res, 200, { statusCode: 0, message: '', data: { user: userJson(room), liveRoom: liveRoomJson(room) } });
      },
    ],
    [
      /^\/webcast\/room\/info\/?$/,
      (req, res, _m, q) => {
        const room = registry.byId(q.get('room_id') ?? '');
        if (!room) {
          json(res, 200, { status_code: 30003, data: { message: 'room not found', prompts: 'This LIVE has ended' } });
          return;
        }
        if (ageGateCloses(room.uniqueId, req)) {
          json(res, 200, { status_code: AGE_RESTRICTED_STATUS, data: { message: 'age restricted', prompts: 'Log in to watch' } });
          return;
        }
        json(res, 200, {
          status_code: 0,
          data: {
            id_str: room.roomId,
            status: roomStatus(room),
            title: room.title,
            user_count: room.viewerCount,
            stats: { like_count: room.likes, total_user: room.viewerCount },
            owner: { id_str: room.hostUserId, display_id: room.uniqueId, nickname: room.uniqueId },
          },
        });
      },
    ],
    [
      /^\/webcast\/im\/fetch\/?$/,
      (req, res, _m, q) => {
        const room = registry.byId(q.get('room_id') ?? '');
        if (!room || room.status === 'ended') {
          res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
          res.end();
          return;
        }
        room.start();
        sendFetchResult(res, room.firstFetchBody(q.get('cursor') ?? '', pushUrl(req)), {
          'set-cookie': `ttwid=emu${room.roomId.slice(-8)}; Path=/; HttpOnly`,
        });
      },
    ],
  ];
}
