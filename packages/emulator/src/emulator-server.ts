/**
 * The local TikTok: an HTTP + WebSocket server on loopback speaking TikTok's WebCast
 * protocol (live page with SIGI_STATE, api-live, room info, im/fetch, the push
 * WebSocket) and the sign provider's API (connect, anchors room_id), with scripted
 * creators and fault injection. This file wires them: HTTP routes (tiktok-routes.ts,
 * sign-routes.ts), the push server (push-server.ts) and fault control (fault-control.ts).
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebcastOptions } from '@tiktool/webcast';
import { handleControl } from './control-routes.js';
import type { CreatorRoom, EmitRecord, EndAction } from './creator-room.js';
import type { ChosenEvent } from './creator-script.js';
import * as D from './defaults.js';
import { FaultControl } from './fault-control.js';
import type { BlockKind, PeerStats } from './faults.js';
import { requestHandler, type RouteContext } from './http-routes.js';
import { PushServer } from './push-server.js';
import { RoomRegistry } from './room-registry.js';
import { signRoutes } from './sign-routes.js';
import { tiktokRoutes } from './tiktok-routes.js';

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
  /** Room lookups by name (live page, api-live, sign provider) per creator since start. */
  lookups: Record<string, number>;
  /** Gift list calls since start. */
  giftLists: number;
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
  /**
   * Emits one whole gift from one viewer now: a streak of the gift growing to
   * repeatCount over `steps` messages, the last with repeatEnd (a single message for a
   * gift that is not streakable). One frame per message.
   */
  gift(uniqueId: string, giftId: number, repeatCount: number, steps?: number): void;
  /** Emits one follow, one subscribe, or a viewer count now, as a frame; `createTime` (ms) is the message's own time, now unless given. */
  emitEvent(uniqueId: string, event: ChosenEvent, createTime?: number): void;
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

function roomRegistry(options: EmulatorOptions): RoomRegistry {
  return new RoomRegistry({
    room: {
      rate: options.rate ?? D.DEFAULT_RATE,
      seed: options.seed ?? D.DEFAULT_SEED,
      replayLimit: options.replayLimit ?? D.DEFAULT_REPLAY_LIMIT,
      recordLimit: options.recordLimit ?? D.DEFAULT_RECORD_LIMIT,
      onEmit: options.onEmit,
    },
    offline: new Set((options.creators?.offline ?? []).map((u) => u.toLowerCase())),
    missing: new Set((options.creators?.missing ?? []).map((u) => u.toLowerCase())),
    lingerMs: options.roomLingerMs ?? D.ROOM_LINGER_MS,
    maxRooms: options.maxRooms ?? D.MAX_ROOMS,
  });
}

function statsOf(registry: RoomRegistry, faults: FaultControl, calls: RouteContext['calls']): EmulatorStats {
  const rooms: Record<string, RoomStats> = {};
  for (const room of registry.values()) {
    rooms[room.uniqueId] = {
      roomId: room.roomId,
      status: room.status,
      connections: room.clients.size,
      emitted: room.emittedCount,
      acks: room.acks,
      heartbeats: room.heartbeats,
    };
  }
  return { rooms, roomCount: registry.size, lookups: Object.fromEntries(registry.lookups), giftLists: calls.giftLists, ...faults.counters };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? D.DEFAULT_HOST;
  const registry = roomRegistry(options);
  const faults = new FaultControl();
  const calls = { giftLists: 0 };
  const stats = () => statsOf(registry, faults, calls);
  const control = { registry, stats };
  const serveControl = (req: IncomingMessage, res: ServerResponse) =>
    handleControl(control, req, res, new URL(req.url ?? '/', 'http://emulator').pathname);

  let port = 0;
  const ctx: RouteContext = {
    registry,
    faults,
    signApiKey: options.signApiKey,
    calls,
    pushUrl: (req) => `ws://${req.headers.host ?? `${host}:${port}`}${D.PUSH_PATH}`,
  };
  const server = createServer(requestHandler(ctx, control, [...tiktokRoutes(ctx), ...signRoutes(ctx)]));
  const push = new PushServer(registry, faults);
  server.on('connection', (socket) => faults.addresses.connection(socket));
  server.on('upgrade', (req, socket, head) => push.upgrade(req, socket, head));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? D.DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const must = (uniqueId: string): CreatorRoom => {
    const room = registry.room(uniqueId);
    if (!room) throw new Error(`@${uniqueId} is configured as missing`);
    return room;
  };

  return {
    url,
    port,
    upstreamOptions: () => ({ webUrl: url, webcastUrl: url, signUrl: url, signApiKey: options.signApiKey }),
    stats,
    roomId: (u) => registry.room(u)?.roomId,
    emitted: (u) => registry.room(u)?.emitted() ?? [],
    emittedMessages: (u) => registry.room(u)?.emittedMessages() ?? [],
    emit: (u, count) => {
      const room = must(u);
      room.start();
      room.emit(count);
    },
    gift: (u, giftId, repeatCount, steps = 3) => {
      const room = must(u);
      room.start();
      room.emitGift(giftId, repeatCount, steps);
    },
    emitEvent: (u, event, createTime) => {
      const room = must(u);
      room.start();
      room.emitChosen(event, createTime);
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
    rejectHandshake: (u, enabled) => faults.rejectHandshake(u, enabled),
    rateLimitSign: (count, retryAfterS) => faults.rateLimitSign(count, retryAfterS),
    blockAddress: (address, kind) => faults.addresses.block(address, kind),
    peers: () => faults.addresses.peers(),
    close: async () => {
      registry.closeAll();
      push.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
