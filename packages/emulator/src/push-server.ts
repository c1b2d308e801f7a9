/** TikTok's push WebSocket: the handshake (and its refusals), then heartbeats, enter-room and acks per client. */

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { FrameType, webcastSchema } from '@tiktool/webcast';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CreatorRoom, PushClient } from './creator-room.js';
import { PUSH_PATH } from './defaults.js';
import { controlFrame } from './encode.js';
import type { FaultControl } from './fault-control.js';
import type { RoomRegistry } from './room-registry.js';

export class PushServer {
  // TikTok answers no WebSocket pings; neither does the emulator.
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false });

  constructor(
    private readonly registry: RoomRegistry,
    private readonly faults: FaultControl,
  ) {}

  /** An HTTP upgrade: a push connection to a room, or TikTok's refusal (HTTP 200 with handshake-status). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://emulator');
    socket.on('error', () => {});
    if (this.faults.addresses.answerUpgrade(req, socket)) return;
    if (url.pathname !== PUSH_PATH) return this.refuse(socket, 404, 'unknown push path');
    const room = this.registry.byId(url.searchParams.get('room_id') ?? '');
    if (!room) return this.refuse(socket, 404, 'room not found');
    if (this.faults.rejectsHandshake(room.uniqueId)) {
      return this.refuse(socket, 403, 'handshake rejected by the emulator (fault injection)');
    }
    // An ended room still replays from a cursor, so a client that was away sees the end.
    const cursor = url.searchParams.get('cursor') ?? '';
    if (room.status === 'ended' && cursor === '') return this.refuse(socket, 410, 'the LIVE has ended');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, socket, room, cursor));
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private refuse(socket: Duplex, status: number, message: string): void {
    this.faults.counters.handshakesRejected++;
    socket.end(
      'HTTP/1.1 200 OK\r\n' +
        `handshake-status: ${status}\r\n` +
        `handshake-msg: ${message}\r\n` +
        'content-length: 0\r\nconnection: close\r\n\r\n',
    );
  }

  private serve(ws: WebSocket, socket: Duplex, room: CreatorRoom, cursor: string): void {
    const client: PushClient = { ws, socket, stalledUntil: 0, pending: [] };
    let seq = 0;
    room.start();
    room.attach(client, cursor);
    this.registry.attached(room);
    ws.on('error', () => {});
    ws.on('close', () => {
      room.detach(client);
      this.registry.detached(room);
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
  }
}
