/**
 * A scripted peer at the network boundary: a real `ws` server on 127.0.0.1 that speaks
 * the wire contract as each test dictates (roomInfo, events, close codes) and records
 * the query and subprotocols every connection sent.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CreatorEnvelope, RoomInfoData, User } from '@tiktool/protocol';

export class ScriptedConnection {
  readonly query: URLSearchParams;
  /** The subprotocols the client offered (its key travels in one). */
  readonly protocols: string[];
  readonly socket: WebSocket;
  /** Resolves with the close code the client's socket reported (1000 on disconnect()). */
  readonly closed: Promise<number>;

  /** The frames the client sent, parsed (roster clients send subscribe and unsubscribe). */
  readonly received: unknown[] = [];
  /** How many of them nextFrame() has handed out. */
  #taken = 0;
  readonly #receivers: Array<(frame: unknown) => void> = [];

  constructor(socket: WebSocket, url: string, protocols: string[]) {
    this.socket = socket;
    this.query = new URL(url, 'ws://127.0.0.1').searchParams;
    this.protocols = protocols;
    this.closed = new Promise((resolve) => socket.once('close', (code: number) => resolve(code)));
    socket.on('message', (data) => {
      this.received.push(JSON.parse(String(data)));
      const receiver = this.#receivers.shift();
      if (receiver) receiver(this.received[this.#taken++]);
    });
  }

  /** The next frame the client sends that no earlier call took. */
  nextFrame(): Promise<unknown> {
    if (this.#taken < this.received.length) return Promise.resolve(this.received[this.#taken++]);
    return new Promise((resolve) => this.#receivers.push(resolve));
  }

  send(payload: unknown): void {
    this.socket.send(JSON.stringify(payload));
  }

  roomInfo(overrides: Partial<RoomInfoData> = {}): void {
    this.send({ event: 'roomInfo', data: roomInfo(overrides) });
  }

  close(code: number, reason = ''): void {
    this.socket.close(code, reason);
  }

  /** Drops the TCP connection without a close frame: the client sees 1006. */
  terminate(): void {
    this.socket.terminate();
  }
}

export type Script = (connection: ScriptedConnection, index: number) => void;

export class ScriptedGateway {
  readonly connections: ScriptedConnection[] = [];
  readonly #server: WebSocketServer;
  readonly #waiters: Array<{ count: number; resolve: () => void }> = [];
  #stopped = false;

  private constructor(server: WebSocketServer, script: Script) {
    this.#server = server;
    server.on('connection', (socket, request) => {
      const offered = request.headers['sec-websocket-protocol'];
      const protocols = offered ? offered.split(',').map((p) => p.trim()) : [];
      const connection = new ScriptedConnection(socket, request.url ?? '/', protocols);
      const index = this.connections.push(connection) - 1;
      script(connection, index);
      for (const waiter of this.#waiters.filter((w) => this.connections.length >= w.count)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  }

  static async start(script: Script): Promise<ScriptedGateway> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    return new ScriptedGateway(server, script);
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}`;
  }

  /** Resolves once `count` connections have arrived in total. */
  connectionCount(count: number): Promise<void> {
    if (this.connections.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Idempotent: tests may stop a gateway early to make it unreachable. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const client of this.#server.clients) client.terminate();
    await new Promise<void>((resolve, reject) => this.#server.close((error) => (error ? reject(error) : resolve())));
  }
}

const SESSION_ID = 'sess_0000000001';

export function roomInfo(overrides: Partial<RoomInfoData> = {}): RoomInfoData {
  return {
    sessionId: SESSION_ID,
    uniqueId: 'streamer',
    roomId: '7300000000000000001',
    title: 'scripted stream',
    viewerCount: 42,
    likeCount: 1000,
    epoch: 'epoch-a',
    seq: 0,
    resumed: false,
    recovered: false,
    replayed: 0,
    ...overrides,
  };
}

export function user(uniqueId: string): User {
  return {
    userId: '6800000000000000001',
    uniqueId,
    nickname: uniqueId.toUpperCase(),
    profilePictureUrl: 'https://example.invalid/p.jpg',
    followRole: 0,
    isSubscriber: false,
    isModerator: false,
    badges: [],
  };
}

export function chat(seq: number, comment = `message ${seq}`): CreatorEnvelope<'chat'> {
  return {
    event: 'chat',
    seq,
    uniqueId: 'streamer',
    data: { msgId: `m${seq}`, timestamp: 1_700_000_000_000 + seq, user: user('viewer'), comment, emotes: [] },
  };
}

export function gift(seq: number): CreatorEnvelope<'gift'> {
  return {
    event: 'gift',
    seq,
    uniqueId: 'streamer',
    data: {
      msgId: `m${seq}`,
      timestamp: 1_700_000_000_000 + seq,
      user: user('gifter'),
      giftId: 5655,
      giftName: 'Rose',
      diamondCount: 1,
      repeatCount: 3,
      repeatEnd: true,
      giftType: 1,
      groupId: 'g1',
      giftPictureUrl: 'https://example.invalid/rose.png',
      receiverUserId: '',
      totalDiamondCount: 3,
    },
  };
}

export function streamEnd(seq: number): CreatorEnvelope<'streamEnd'> {
  return {
    event: 'streamEnd',
    seq,
    uniqueId: 'streamer',
    data: { msgId: `m${seq}`, timestamp: 1_700_000_000_000 + seq, action: 3, reason: 'ended' },
  };
}
