/**
 * One live creator's room: emits the creator script's messages at the configured rate,
 * records every msgId it emits (and when), keeps recent messages to replay from a
 * cursor, and pushes frames to the room's open push sockets.
 */

import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { Method, type ProtoObject } from '@tiktool/webcast';
import type WebSocket from 'ws';
import { type ChosenEvent, CreatorScript, type ScriptedMessage } from './creator-script.js';
import { FIRST_FETCH_HISTORY, MAX_FRAME_INTERVAL_MS, MIN_FRAME_INTERVAL_MS, REPLAY_FRAME_SIZE } from './defaults.js';
import { encodeFetchResult, encodeRoomMessage, msgFrame, type EmittedMessage } from './encode.js';
import { dropMidFrame, garbageFrame, truncatedFrame } from './faults.js';
import { hash32, Rng } from './rng.js';

export type RoomStatus = 'idle' | 'live' | 'ended';

/** A push connection of the room. */
export interface PushClient {
  ws: WebSocket;
  /** The TCP connection under ws, for drops in the middle of a frame. */
  socket: Duplex;
  /** Frames are held back until this time (Date.now() ms). */
  stalledUntil: number;
  /** Frames held back while stalled. */
  pending: Buffer[];
}

export interface EmitRecord {
  uniqueId: string;
  roomId: string;
  msgId: string;
  method: string;
  index: number;
  sentAt: number;
}

export interface RoomOptions {
  /** An offline creator: the user exists, the room has ended. */
  offline: boolean;
  rate: number;
  seed: number;
  replayLimit: number;
  recordLimit: number;
  onEmit?: (e: EmitRecord) => void;
}

/** Control actions: 3 = ended by the host, 4 = suspended by TikTok. */
export type EndAction = 3 | 4;

const CURSOR = /^r-(\d+)$/;

function clock(): number {
  return performance.timeOrigin + performance.now();
}

export class CreatorRoom {
  readonly roomId: string;
  readonly hostUserId: string;
  readonly title: string;
  status: RoomStatus = 'idle';
  readonly clients = new Set<PushClient>();
  acks = 0;
  heartbeats = 0;
  likes = 0;
  private readonly script: CreatorScript;
  private readonly faultRng: Rng;
  private history: EmittedMessage[] = [];
  /** What emitted() reports: the messages without their payloads, which only history needs. */
  private records: Omit<EmittedMessage, 'payload'>[] = [];
  private index = 0;
  private frameSeq = 0;
  private readonly msgIdBase: bigint;
  private logId: bigint;
  private timer: NodeJS.Timeout | undefined;
  private readonly stallTimers = new Set<NodeJS.Timeout>();
  private owed = 0;
  /** When the room was created: its LIVE's start time in room info. */
  readonly startedAt = Date.now();

  constructor(
    readonly uniqueId: string,
    private readonly o: RoomOptions,
  ) {
    const h = hash32(`${uniqueId}#${o.seed}`);
    this.roomId = (7_400_000_000_000_000_000n + BigInt(h) * 1000n).toString();
    this.hostUserId = (6_900_000_000_000_000_000n + BigInt(h) * 977n).toString();
    // Time-based like TikTok's own ids, so a restarted emulator never repeats an id.
    this.msgIdBase = BigInt(this.startedAt) << 22n;
    this.logId = 7_500_000_000_000_000_000n + BigInt(h) * 1_000_000n;
    this.title = `${uniqueId} is LIVE`;
    this.script = new CreatorScript(uniqueId, this.hostUserId, this.roomId, (o.seed ^ h) >>> 0);
    this.faultRng = new Rng(h ^ 0x5eed);
    if (o.offline) this.status = 'ended';
  }

  get viewerCount(): number {
    return this.clients.size + 100;
  }

  get emittedCount(): number {
    return this.index;
  }

  /**
   * Goes live on first use; idempotent. A LIVE that emits on its own has been going for a
   * while when someone joins: it holds a few recent messages, which the first fetch
   * returns as TikTok's does. (At rate 0 the room holds only what emit() sends.)
   */
  start(): void {
    if (this.status !== 'idle') return;
    this.status = 'live';
    if (this.o.rate <= 0) return;
    for (let i = 0; i < FIRST_FETCH_HISTORY; i++) this.record(this.script.next());
    const interval = Math.min(MAX_FRAME_INTERVAL_MS, Math.max(MIN_FRAME_INTERVAL_MS, 1000 / this.o.rate));
    const perTick = (this.o.rate * interval) / 1000;
    this.timer = setInterval(() => {
      this.owed += perTick;
      const n = Math.floor(this.owed);
      this.owed -= n;
      if (n > 0) this.emit(n);
    }, interval);
    this.timer.unref();
  }

  cursorAt(index: number): string {
    return `r-${index}`;
  }

  get cursor(): string {
    return this.cursorAt(this.index);
  }

  internalExt(): string {
    const now = Date.now();
    return `internal_src:dim|wss_push_room_id:${this.roomId}|wss_push_did:7${this.hostUserId.slice(1)}|first_req_ms:${this.startedAt}|fetch_time:${now}|seq:${this.index}|wss_info:0-${now}-0-0`;
  }

  /** Emits n scripted messages as one frame. */
  emit(n: number): void {
    if (this.status !== 'live') return;
    const batch: EmittedMessage[] = [];
    for (let i = 0; i < n; i++) batch.push(this.record(this.script.next()));
    this.broadcast(batch);
  }

  /** Emits a whole gift (CreatorScript.gift), a frame per message. */
  emitGift(giftId: number, repeatCount: number, steps: number): void {
    if (this.status !== 'live') return;
    for (const m of this.script.gift(giftId, repeatCount, steps)) this.broadcast([this.record(m)]);
  }

  /** Emits one chosen message (CreatorScript.chosen) as a frame; `createTime` (ms) defaults to now. */
  emitChosen(event: ChosenEvent, createTime?: number): void {
    if (this.status !== 'live') return;
    this.broadcast([this.record(this.script.chosen(event), createTime)]);
  }

  private record(m: ScriptedMessage, createTime = Date.now()): EmittedMessage {
    this.index++;
    const msgId = (this.msgIdBase + BigInt(this.index)).toString();
    const common: ProtoObject = { method: m.method, msgId, roomId: this.roomId, createTime };
    if (m.displayKey)
      common.displayText = {
        key: m.displayKey,
        defaultPattern: `{0:user} ${m.displayKey.includes('share') ? 'shared the LIVE' : 'followed the host'}`,
      };
    if (m.method === Method.LIKE) this.likes = Number(m.body.total);
    const e: EmittedMessage = {
      index: this.index,
      msgId,
      method: m.method,
      payload: encodeRoomMessage(m.method, m.body, common),
      sentAt: clock(),
    };
    this.history.push(e);
    if (this.history.length > this.o.replayLimit * 1.25) this.history = this.history.slice(-this.o.replayLimit);
    this.records.push({ index: e.index, msgId, method: m.method, sentAt: e.sentAt });
    if (this.records.length > this.o.recordLimit * 1.25) this.records = this.records.slice(-this.o.recordLimit);
    this.o.onEmit?.({ uniqueId: this.uniqueId, roomId: this.roomId, msgId, method: m.method, index: e.index, sentAt: e.sentAt });
    return e;
  }

  emitted(): string[] {
    return this.records.map((r) => r.msgId);
  }

  emittedMessages(): { msgId: string; method: string; index: number; sentAt: number }[] {
    return this.records.map(({ msgId, method, index, sentAt }) => ({ msgId, method, index, sentAt }));
  }

  /**
   * Messages from the cursor's own message on (TikTok resends at least once), or, without
   * a usable cursor, the most recent few.
   */
  since(cursor: string): EmittedMessage[] {
    const m = CURSOR.exec(cursor);
    if (!m) return this.history.slice(-FIRST_FETCH_HISTORY);
    const from = Number(m[1]);
    const first = this.history.length > 0 ? this.history[0].index : this.index + 1;
    return this.history.slice(Math.max(0, from - first));
  }

  private frameOf(messages: readonly EmittedMessage[]): Buffer {
    const last = messages.length > 0 ? messages[messages.length - 1].index : this.index;
    const result = encodeFetchResult(messages, { cursor: this.cursorAt(last), internalExt: this.internalExt(), now: Date.now() });
    this.logId++;
    return msgFrame(result, ++this.frameSeq, this.logId.toString());
  }

  /** The body of a first fetch (sign provider connect, or direct im/fetch). */
  firstFetchBody(cursor: string, pushServer: string): Buffer {
    return encodeFetchResult(this.since(cursor), {
      cursor: this.cursor,
      internalExt: this.internalExt(),
      now: Date.now(),
      pushServer,
      routeParams: { wrss: `emu${this.roomId.slice(-6)}`, room_id: this.roomId },
    });
  }

  /** Adds a push client; replays from its cursor first when it has one. */
  attach(client: PushClient, cursor: string): void {
    if (CURSOR.test(cursor)) {
      const replay = this.since(cursor);
      for (let i = 0; i < replay.length; i += REPLAY_FRAME_SIZE) {
        this.sendTo(client, this.frameOf(replay.slice(i, i + REPLAY_FRAME_SIZE)));
      }
    }
    this.clients.add(client);
  }

  detach(client: PushClient): void {
    this.clients.delete(client);
  }

  private broadcast(batch: readonly EmittedMessage[]): void {
    if (this.clients.size === 0) return;
    const frame = this.frameOf(batch);
    for (const c of this.clients) this.sendTo(c, frame);
  }

  sendTo(client: PushClient, frame: Buffer): void {
    if (Date.now() < client.stalledUntil) client.pending.push(frame);
    else if (client.ws.readyState === client.ws.OPEN) client.ws.send(frame);
  }

  /**
   * Holds back every frame of the room's current push connections for ms (a network
   * stall), then sends what was held. Connections opened later are not stalled.
   */
  stall(ms: number): void {
    const until = Date.now() + ms;
    const stalled = [...this.clients];
    for (const c of stalled) c.stalledUntil = Math.max(c.stalledUntil, until);
    const timer = setTimeout(() => {
      this.stallTimers.delete(timer);
      for (const c of stalled) {
        if (Date.now() < c.stalledUntil) continue;
        const held = c.pending;
        c.pending = [];
        for (const f of held) if (c.ws.readyState === c.ws.OPEN) c.ws.send(f);
      }
    }, ms);
    timer.unref();
    this.stallTimers.add(timer);
  }

  /** Destroys every push connection, in the middle of a frame. */
  drop(): void {
    const partial = this.frameOf(this.history.slice(-3));
    for (const c of [...this.clients]) {
      this.clients.delete(c);
      dropMidFrame(c.socket, partial);
    }
  }

  garbage(n: number): void {
    for (let i = 0; i < n; i++) {
      const f = garbageFrame(this.faultRng);
      for (const c of this.clients) this.sendTo(c, f);
    }
  }

  truncated(n: number): void {
    for (let i = 0; i < n; i++) {
      const f = truncatedFrame(this.faultRng, this.roomId);
      for (const c of this.clients) this.sendTo(c, f);
    }
  }

  /** Emits the control message that ends the LIVE, then stops. */
  end(action: EndAction): void {
    if (this.status === 'ended') return;
    this.start();
    const control = this.record({
      method: Method.CONTROL,
      body: { action, tips: action === 3 ? 'The LIVE has ended' : 'This LIVE was suspended' },
    });
    this.broadcast([control]);
    this.status = 'ended';
    this.stop();
  }

  /** A creator who ended goes live again: a new LIVE, with none of the old one's messages to resend. */
  goLive(): void {
    if (this.status !== 'ended') return;
    this.history = [];
    this.status = 'idle';
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stop();
    for (const t of this.stallTimers) clearTimeout(t);
    this.stallTimers.clear();
    for (const c of this.clients) c.ws.terminate();
    this.clients.clear();
  }
}
