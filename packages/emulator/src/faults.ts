/**
 * What the emulator's faults put on the wire: random frames, frames cut short, and a
 * WebSocket frame abandoned halfway before the TCP connection is destroyed.
 */

import type { Duplex } from 'node:stream';
import { Method } from '@tiktool/webcast';
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
