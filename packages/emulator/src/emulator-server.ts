/**
 * The local TikTok: an HTTP + WebSocket server on loopback speaking TikTok's WebCast
 * protocol (live page with SIGI_STATE, api-live, room info, im/fetch, the push
 * WebSocket) and the sign provider's API (connect, anchors room_id), with scripted
 * creators and fault injection.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { FrameType, webcastSchema, type WebcastOptions } from '@tiktool/webcast';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CreatorRoom, EmitRecord, EndAction, PushClient } from './creator-room.js';
import { handleControl } from './control-routes.js';
import * as D from './defaults.js';
import { controlFrame } from './encode.js';
import { json } from './http-json.js';
import { RoomLimitError, RoomRegistry } from './room-registry.js';
import { AGE_RESTRICTED_STATUS, AddressFaults, ageGateCloses, type BlockKind, type PeerStats } from './faults.js';

export interface EmulatorOptions {
  host?: string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Events per second per live creator; 0 = only what emit() sends. */
  rate?: number;
  seed?: number;
  /**
   * Creators that are offline or do not exist, besides the conventions (`offline_*` is
   * not live, `missing_*` does not exist); every other uniqueId is a live creator.
   */
  creators?: { offline?: string[]; missing?: string[] };
  /** A room with no push connection stops after this long (ms). */
  roomLingerMs?: number;
  /** Rooms held at once. */
  maxRooms?: number;
  /** When set, the sign endpoints require this X-Api-Key. */
  signApiKey?: string;
  /** Messages kept per room for replay from a cursor. */
  replayLimit?: number;
  /** Emitted msgIds kept per room for emitted(). */
  recordLimit?: number;
  /** Called for every message a room emits, when it emits it. */
  onEmit?: (e: EmitRecord) => void;
}

export interface RoomStats {
  roomId: string;
  status: 'idle' | 'live' | 'ended';
  /** Open push connections. */
  connections: number;
  /** Messages emitted. */
  emitted: number;
  acks: number;
  heartbeats: number;
}

export interface EmulatorStats {
  rooms: Record<string, RoomStats>;
  /** Rooms held now (each stops after the linger once it has no push connection). */
  roomCount: number;
  signCalls: number;
  signRateLimited: number;
  handshakesRejected: number;
}

export interface Emulator {
  /** http://host:port; the web, webcast and sign provider base URL alike. */
  readonly url: string;
  readonly port: number;
  /** Options that point the WebCast client at this emulator (signed through its provider API). */
  upstreamOptions(): WebcastOptions;
  stats(): EmulatorStats;
  /** The room of a creator (created on first use); undefined for a missing creator. */
  roomId(uniqueId: string): string | undefined;
  /** Every msgId the creator's room emitted, in order. */
  emitted(uniqueId: string): string[];
  /** The same, with method, position and send time (performance.timeOrigin + performance.now()). */
  emittedMessages(uniqueId: string): { msgId: string; method: string; index: number; sentAt: number }[];
  /** Emits count scripted messages now, as one frame (starts the room if needed). */
  emit(uniqueId: string, count: number): void;
  /** Closes the creator's push sockets abruptly, in the middle of a frame. */
  drop(uniqueId: string): void;
  /** Holds back every frame (and heartbeat reply) of the room for ms. */
  stall(uniqueId: string, ms: number): void;
  /** Sends n frames of random bytes to the room's push sockets. */
  garbage(uniqueId: string, n: number): void;
  /** Sends n real frames cut short to the room's push sockets. */
  truncated(uniqueId: string, n: number): void;
  /** Ends the LIVE with a control message (3 = ended, 4 = suspended); the creator stays offline. */
  endStream(uniqueId: string, action?: EndAction): void;
  /** Switches a creator live (a new LIVE) or offline (as endStream); false for a missing creator. */
  setLive(uniqueId: string, live: boolean): boolean;
  /**
   * Serves the control API (/_emulator/...) on another server's request, as the gateway
   * does in emulator mode; false when the path is not under /_emulator/.
   */
  handleControl(req: IncomingMessage, res: ServerResponse): boolean;
  /** Answers push upgrades with HTTP 200 + handshake headers; '*' = every creator. */
  rejectHandshake(uniqueId?: string, enabled?: boolean): void;
  /** The next count sign provider connect calls answer 429, with `Retry-After: retryAfterS` when given. */
  rateLimitSign(count: number, retryAfterS?: number): void;
  /** TikTok blocks this client address ('*' = all): 403, 429 or a captcha page; undefined lifts it. */
  blockAddress(address: string, kind?: BlockKind): void;
  /** Every client address that connected, with what it asked. */
  peers(): Record<string, PeerStats>;
  close(): Promise<void>;
}

function escapeScript(jsonText: string): string {
  return jsonText.replace(/</g, '\\u003c');
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? D.DEFAULT_HOST;
  const seed = options.seed ?? D.DEFAULT_SEED;
  const registry = new RoomRegistry({
    room: {
      rate: options.rate ?? D.DEFAULT_RATE,
      seed,
      replayLimit: options.replayLimit ?? D.DEFAULT_REPLAY_LIMIT,
      recordLimit: options.recordLimit ?? D.DEFAULT_RECORD_LIMIT,
      onEmit: options.onEmit,
    },
    offline: new Set((options.creators?.offline ?? []).map((u) => u.toLowerCase())),
    missing: new Set((options.creators?.missing ?? []).map((u) => u.toLowerCase())),
    lingerMs: options.roomLingerMs ?? D.ROOM_LINGER_MS,
    maxRooms: options.maxRooms ?? D.MAX_ROOMS,
  });
  const rejecting = new Set<string>();
  let signLimited = 0;
  let signRetryAfterS: number | undefined;
  const addressFaults = new AddressFaults();
  const counters = { signCalls: 0, signRateLimited: 0, handshakesRejected: 0 };

  const roomOf = (uniqueId: string) => registry.room(uniqueId);

  const roomStatus = (room: CreatorRoom) => (room.status === 'ended' ? D.ROOM_STATUS_OFFLINE : D.ROOM_STATUS_LIVE);

  const userJson = (room: CreatorRoom) => ({
    id: room.hostUserId,
    uniqueId: room.uniqueId,
    nickname: room.uniqueId,
    roomId: room.roomId,
    secUid: `MS4wLjABAAAA${room.hostUserId}`,
    status: roomStatus(room),
  });

  const liveRoomJson = (room: CreatorRoom) => ({
    status: roomStatus(room),
    title: room.title,
    startTime: Math.floor(Date.now() / 1000),
    liveRoomStats: { userCount: room.viewerCount },
  });

  const pushServerOf = (req: IncomingMessage) => `ws://${req.headers.host ?? `${host}:${port}`}${D.PUSH_PATH}`;

  const signAuthorized = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!options.signApiKey || req.headers['x-api-key'] === options.signApiKey) return true;
    json(res, 401, { code: 401, message: 'Invalid or missing API key' });
    return false;
  };

  const sendFetchResult = (res: ServerResponse, body: Buffer, headers: Record<string, string>) => {
    res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': body.length, ...headers });
    res.end(body);
  };

  const routes: [RegExp, (req: IncomingMessage, res: ServerResponse, m: RegExpExecArray, q: URLSearchParams) => void][] = [
    [
      /^\/@([^/]+)\/live\/?$/,
      (_req, res, m) => {
        const room = roomOf(decodeURIComponent(m[1]));
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
        const room = roomOf(q.get('uniqueId') ?? '');
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
      /^\/webcast\/rooms\/([^/]+)\/connect\/?$/,
      (req, res, m, q) => {
        counters.signCalls++;
        if (!signAuthorized(req, res)) return;
        if (signLimited > 0) {
          signLimited--;
          counters.signRateLimited++;
          const retryAfter: Record<string, string> = signRetryAfterS === undefined ? {} : { 'retry-after': String(signRetryAfterS) };
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
        sendFetchResult(res, room.firstFetchBody(q.get('cursor') ?? '', pushServerOf(req)), {
          'x-set-tt-cookie': `ttwid=emu${room.roomId.slice(-8)}; tt-target-idc=emulator`,
          'x-room-id': room.roomId,
        });
      },
    ],
    [
      /^\/webcast\/anchors\/([^/]+)\/room_id\/?$/,
      (req, res, m) => {
        if (!signAuthorized(req, res)) return;
        const room = roomOf(decodeURIComponent(m[1]));
        if (!room) {
          json(res, 404, { ok: false, code: 404, message: 'User not found' });
          return;
        }
        json(res, 200, { ok: true, code: 200, room_id: room.roomId, is_live: room.status !== 'ended' });
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
        sendFetchResult(res, room.firstFetchBody(q.get('cursor') ?? '', pushServerOf(req)), {
          'set-cookie': `ttwid=emu${room.roomId.slice(-8)}; Path=/; HttpOnly`,
        });
      },
    ],
  ];

  const control = { registry, stats: () => stats() };
  const serveControl = (req: IncomingMessage, res: ServerResponse) =>
    handleControl(control, req, res, new URL(req.url ?? '/', 'http://emulator').pathname);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (serveControl(req, res)) return;
    if (addressFaults.answerRequest(req, res, url.pathname)) return;
    if (req.method !== 'GET') {
      json(res, 405, { message: 'method not allowed' });
      return;
    }
    for (const [pattern, handle] of routes) {
      const m = pattern.exec(url.pathname);
      if (!m) continue;
      try {
        handle(req, res, m, url.searchParams);
      } catch (err) {
        // A full emulator answers like a TikTok that is shedding load.
        if (!(err instanceof RoomLimitError)) throw err;
        json(res, 429, { message: err.message });
      }
      return;
    }
    json(res, 404, { message: 'not found' });
  });

  // TikTok answers no WebSocket pings; neither does the emulator.
  const wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false });

  const refuse = (socket: Duplex, status: number, message: string) => {
    counters.handshakesRejected++;
    socket.end(
      'HTTP/1.1 200 OK\r\n' +
        `handshake-status: ${status}\r\n` +
        `handshake-msg: ${message}\r\n` +
        'content-length: 0\r\nconnection: close\r\n\r\n',
    );
  };

  server.on('connection', (socket) => addressFaults.connection(socket));
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    socket.on('error', () => {});
    if (addressFaults.answerUpgrade(req, socket)) return;
    if (url.pathname !== D.PUSH_PATH) {
      refuse(socket, 404, 'unknown push path');
      return;
    }
    const room = registry.byId(url.searchParams.get('room_id') ?? '');
    if (!room) {
      refuse(socket, 404, 'room not found');
      return;
    }
    if (rejecting.has('*') || rejecting.has(room.uniqueId)) {
      refuse(socket, 403, 'handshake rejected by the emulator (fault injection)');
      return;
    }
    // An ended room still replays from a cursor, so a client that was away sees the end.
    const cursor = url.searchParams.get('cursor') ?? '';
    if (room.status === 'ended' && cursor === '') {
      refuse(socket, 410, 'the LIVE has ended');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onPush(ws, socket, room, cursor));
  });

  const onPush = (ws: WebSocket, socket: Duplex, room: CreatorRoom, cursor: string) => {
    const client: PushClient = { ws, socket, stalledUntil: 0, pending: [] };
    let seq = 0;
    room.start();
    room.attach(client, cursor);
    registry.attached(room);
    ws.on('error', () => {});
    ws.on('close', () => {
      room.detach(client);
      registry.detached(room);
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      let type: string;
      try {
        type = String(webcastSchema().decode('WebcastPushFrame', data as Buffer).payloadType ?? '');
      } catch {
        return;
      }
      if (type === FrameType.HEARTBEAT) {
        room.heartbeats++;
        if (Date.now() >= client.stalledUntil) ws.send(controlFrame(FrameType.HEARTBEAT, ++seq));
      } else if (type === FrameType.IM_ENTER_ROOM) {
        room.sendTo(client, controlFrame(FrameType.IM_ENTER_ROOM_RESP, ++seq));
      } else if (type === FrameType.ACK) {
        room.acks++;
      }
    });
  };

  const stats = (): EmulatorStats => {
    const out: Record<string, RoomStats> = {};
    for (const room of registry.values()) {
      out[room.uniqueId] = {
        roomId: room.roomId,
        status: room.status,
        connections: room.clients.size,
        emitted: room.emittedCount,
        acks: room.acks,
        heartbeats: room.heartbeats,
      };
    }
    return { rooms: out, roomCount: registry.size, ...counters };
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? D.DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const must = (uniqueId: string): CreatorRoom => {
    const room = roomOf(uniqueId);
    if (!room) throw new Error(`@${uniqueId} is configured as missing`);
    return room;
  };

  return {
    url,
    port,
    upstreamOptions: () => ({ webUrl: url, webcastUrl: url, signUrl: url, signApiKey: options.signApiKey }),
    stats,
    roomId: (u) => roomOf(u)?.roomId,
    emitted: (u) => roomOf(u)?.emitted() ?? [],
    emittedMessages: (u) => roomOf(u)?.emittedMessages() ?? [],
    emit: (u, count) => {
      const room = must(u);
      room.start();
      room.emit(count);
    },
    drop: (u) => must(u).drop(),
    stall: (u, ms) => must(u).stall(ms),
    garbage: (u, n) => must(u).garbage(n),
    truncated: (u, n) => must(u).truncated(n),
    endStream: (u, action = 3) => {
      if (!registry.setLive(u, false, action)) throw new Error(`@${u} is configured as missing`);
    },
    setLive: (u, live) => registry.setLive(u, live) !== undefined,
    handleControl: serveControl,
    rejectHandshake: (u = '*', enabled = true) => {
      const k = u === '*' ? '*' : u.toLowerCase();
      if (enabled) rejecting.add(k);
      else rejecting.delete(k);
    },
    rateLimitSign: (count, retryAfterS) => {
      signLimited = count;
      signRetryAfterS = retryAfterS;
    },
    blockAddress: (address, kind) => addressFaults.block(address, kind),
    peers: () => addressFaults.peers(),
    close: async () => {
      registry.closeAll();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
