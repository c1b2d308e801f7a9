/**
 * What the emulator's faults put on the wire: random frames, frames cut short, a
 * WebSocket frame abandoned halfway before the TCP connection is destroyed; TikTok
 * blocking a client address (403, 429, a captcha page without SIGI_STATE); and rooms
 * that are age-restricted.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Method } from '@tiktool/webcast';
import { MAX_PEERS } from './defaults.js';
import { encodeFetchResult, encodeRoomMessage, msgFrame } from './encode.js';
import type { Rng } from './rng.js';

/** Random bytes, 1..maxLength long. */
export function garbageFrame(rng: Rng, maxLength = 256): Buffer {
  const len = rng.int(1, maxLength);
  const b = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) b[i] = rng.int(0, 255);
  return b;
}

/**
 * A real `msg` frame (a chat that is not part of the room's stream) cut at a random
 * length, so that its payload, its gzip stream or its header is incomplete.
 */
export function truncatedFrame(rng: Rng, roomId: string): Buffer {
  const payload = encodeRoomMessage(
    Method.CHAT,
    { content: 'this frame is cut short', user: { id: '1', nickname: 'nobody', displayId: 'nobody' } },
    { method: Method.CHAT, msgId: '1', roomId, createTime: Date.now() },
  );
  const result = encodeFetchResult([{ index: 0, msgId: '1', method: Method.CHAT, payload, sentAt: 0 }], {
    cursor: 'r-0',
    internalExt: 'truncated',
    now: Date.now(),
  });
  const frame = msgFrame(result, 0, '1');
  return frame.subarray(0, rng.int(1, frame.length - 1));
}

/**
 * Writes the header of a binary WebSocket frame announcing more bytes than follow, then
 * part of `partial`, and destroys the TCP connection: a drop in the middle of a frame.
 */
export function dropMidFrame(socket: Duplex, partial: Buffer): void {
  const announced = partial.length + 1000;
  const header = Buffer.from([0x82, 126, (announced >> 8) & 0xff, announced & 0xff]);
  socket.write(Buffer.concat([header, partial.subarray(0, Math.ceil(partial.length / 2))]));
  socket.destroy();
}

/**
 * How TikTok turns an address away: an HTTP status, a captcha page (200 without
 * SIGI_STATE), or only the push upgrade refused with `handshake-status: 429`.
 */
export type BlockKind = 403 | 429 | 'captcha' | 'handshake';

/** What the emulator saw from one client address. */
export interface PeerStats {
  connections: number;
  requests: number;
  upgrades: number;
  /** Requests and upgrades answered as blocked. */
  blocked: number;
}

/** Paths that are TikTok's own (not the sign provider's): the ones TikTok blocks. */
const TIKTOK_PATHS = /^\/(@[^/]+\/live|api-live\/|webcast\/room\/info|webcast\/im\/)/;

/**
 * Client addresses: which connected and what they asked (so a test can tell that only a
 * proxy reached the emulator), and which TikTok blocks.
 */
export class AddressFaults {
  private readonly blocked = new Map<string, BlockKind>();
  private readonly seen = new Map<string, PeerStats>();

  private peer(socket: Socket): PeerStats | undefined {
    const address = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    let p = this.seen.get(address);
    if (!p && this.seen.size < MAX_PEERS) {
      p = { connections: 0, requests: 0, upgrades: 0, blocked: 0 };
      this.seen.set(address, p);
    }
    return p;
  }

  private blockOf(socket: Socket): BlockKind | undefined {
    return this.blocked.get((socket.remoteAddress ?? '').replace(/^::ffff:/, '')) ?? this.blocked.get('*');
  }

  connection(socket: Socket): void {
    const p = this.peer(socket);
    if (p) p.connections++;
  }

  /** '*' blocks every address; kind undefined lifts the block. */
  block(address: string, kind: BlockKind | undefined): void {
    if (kind === undefined) this.blocked.delete(address);
    else this.blocked.set(address, kind);
  }

  peers(): Record<string, PeerStats> {
    return Object.fromEntries([...this.seen].map(([a, p]) => [a, { ...p }]));
  }

  /** Counts the request; answers it as TikTok's block page when its address is blocked. */
  answerRequest(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const p = this.peer(req.socket);
    if (p) p.requests++;
    const kind = this.blockOf(req.socket);
    if (kind === undefined || kind === 'handshake' || !TIKTOK_PATHS.test(path)) return false;
    if (p) p.blocked++;
    if (kind === 'captcha') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><body><div id="captcha-verify">Verify to continue</div></body></html>');
    } else {
      res.writeHead(kind, { 'content-type': 'text/plain' });
      res.end(kind === 429 ? 'Too Many Requests' : 'Forbidden');
    }
    return true;
  }

  /** Counts the upgrade; refuses it when its address is blocked (429 as TikTok does, in handshake-status). */
  answerUpgrade(req: IncomingMessage, socket: Duplex): boolean {
    const p = this.peer(req.socket);
    if (p) p.upgrades++;
    const kind = this.blockOf(req.socket);
    if (kind === undefined) return false;
    if (p) p.blocked++;
    socket.end(
      kind === 429 || kind === 'handshake'
        ? 'HTTP/1.1 200 OK\r\nhandshake-status: 429\r\nhandshake-msg: too many requests\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'
        : 'HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
    );
    return true;
  }
}

/** Creators named `adult_*` are age-restricted: room info wants a logged-in session. */
export const AGE_RESTRICTED_PREFIX = 'adult_';
/** Room info's status_code for an age-restricted LIVE, as TikTok answers it. */
export const AGE_RESTRICTED_STATUS = 4003110;

/** True when the request may not see the room: age-restricted and no sessionid + tt-target-idc cookie. */
export function ageGateCloses(uniqueId: string, req: IncomingMessage): boolean {
  if (!uniqueId.startsWith(AGE_RESTRICTED_PREFIX)) return false;
  const cookie = req.headers.cookie ?? '';
  return !/(^|;\s*)sessionid=[^;]+/.test(cookie) || !/(^|;\s*)tt-target-idc=[^;]+/.test(cookie);
}
