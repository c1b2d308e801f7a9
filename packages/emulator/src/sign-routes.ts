/** The sign provider's API as the WebCast client calls it: connect (the first fetch, signed) and a creator's room id. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { json } from './http-json.js';
import { sendFetchResult, type Route, type RouteContext } from './http-routes.js';

export function signRoutes(ctx: RouteContext): Route[] {
  const { registry, faults, pushUrl } = ctx;
  const authorized = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!ctx.signApiKey || req.headers['x-api-key'] === ctx.signApiKey) return true;
    json(res, 401, { code: 401, message: 'Invalid or missing API key' });
    return false;
  };
  return [
    [
      /^\/webcast\/rooms\/([^/]+)\/connect\/?$/,
      (req, res, m, q) => {
        faults.counters.signCalls++;
        if (!authorized(req, res)) return;
        const retryAfter = faults.takeSignLimit();
        if (retryAfter) {
          json(res, 429, { code: 429, message: 'Too many connections started, try again later.', limit_label: 'emulator' }, retryAfter);
          return;
        }
        const room = registry.byId(decodeURIComponent(m[1]));
        if (!room) {
          json(res, 404, { code: 404, message: 'Room not found' });
          return;
        }
        if (room.status === 'ended') {
          json(res, 400, { code: 400, message: 'The LIVE has ended' });
          return;
        }
        room.start();
        sendFetchResult(res, room.firstFetchBody(q.get('cursor') ?? '', pushUrl(req)), {
          'x-set-tt-cookie': `ttwid=emu${room.roomId.slice(-8)}; tt-target-idc=emulator`,
          'x-room-id': room.roomId,
        });
      },
    ],
    [
      /^\/webcast\/anchors\/([^/]+)\/room_id\/?$/,
      (req, res, m) => {
        if (!authorized(req, res)) return;
        const room = registry.lookUp(decodeURIComponent(m[1]));
        if (!room) {
          json(res, 404, { ok: false, code: 404, message: 'User not found' });
          return;
        }
        json(res, 200, { ok: true, code: 200, room_id: room.roomId, is_live: room.status !== 'ended' });
      },
    ],
  ];
}
