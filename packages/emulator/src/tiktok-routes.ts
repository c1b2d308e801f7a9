/**
 * TikTok's own endpoints as the WebCast client calls them: the live page with
 * SIGI_STATE, api-live's user room, room info, the gift list, and im/fetch.
 */

import type { CreatorRoom } from './creator-room.js';
import { GIFTS } from './creator-script.js';
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

/** Pictures and streams are named on the emulator's own host: nothing outside loopback. */
function avatarUrl(room: CreatorRoom, host: string): string {
  return `http://${host}/img/avatar/${room.hostUserId}.webp`;
}

function streamUrlJson(room: CreatorRoom, host: string) {
  const base = `http://${host}/stream/${room.roomId}`;
  return {
    flv_pull_url: { FULL_HD1: `${base}/full_hd1.flv`, SD1: `${base}/sd1.flv` },
    hls_pull_url: `${base}/index.m3u8`,
  };
}

function giftListJson(host: string) {
  return GIFTS.map((g) => ({
    id: g.id,
    name: g.name,
    diamond_count: g.diamonds,
    type: g.type,
    image: { url_list: [`http://${host}/img/gift/${g.id}.webp`] },
  }));
}

function userJson(room: CreatorRoom, host: string) {
  return {
    id: room.hostUserId,
    uniqueId: room.uniqueId,
    nickname: room.uniqueId,
    avatarLarger: avatarUrl(room, host),
    avatarThumb: avatarUrl(room, host),
    roomId: room.roomId,
    secUid: `MS4wLjABAAAA${room.hostUserId}`,
    status: roomStatus(room),
  };
}

function liveRoomJson(room: CreatorRoom) {
  return {
    status: roomStatus(room),
    title: room.title,
    startTime: Math.floor(room.startedAt / 1000),
    liveRoomStats: { userCount: room.viewerCount },
  };
}

export function tiktokRoutes({ registry, pushUrl, calls }: RouteContext): Route[] {
  return [
    [
      /^\/@([^/]+)\/live\/?$/,
      (req, res, m) => {
        const room = registry.lookUp(decodeURIComponent(m[1]));
        const state = room
          ? { LiveRoom: { liveRoomUserInfo: { user: userJson(room, req.headers.host ?? ''), liveRoom: liveRoomJson(room) } } }
          : { LiveRoom: {} };
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
      (req, res, _m, q) => {
        const room = registry.lookUp(q.get('uniqueId') ?? '');
        if (!room) {
          json(res, 200, { statusCode: D.API_LIVE_USER_NOT_FOUND, message: 'user_not_found', data: {} });
          return;
        }
        json(res, 200, {
          statusCode: 0,
          message: '',
          data: { user: userJson(room, req.headers.host ?? ''), liveRoom: liveRoomJson(room) },
        });
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
            create_time: Math.floor(room.startedAt / 1000),
            owner: {
              id_str: room.hostUserId,
              display_id: room.uniqueId,
              nickname: room.uniqueId,
              avatar_thumb: { url_list: [avatarUrl(room, req.headers.host ?? '')] },
            },
            stream_url: streamUrlJson(room, req.headers.host ?? ''),
          },
        });
      },
    ],
    [
      /^\/webcast\/gift\/list\/?$/,
      (req, res) => {
        calls.giftLists++;
        json(res, 200, { status_code: 0, data: { gifts: giftListJson(req.headers.host ?? '') } });
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
