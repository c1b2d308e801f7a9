/**
 * WebSocket framing (RFC 6455 §5.2) of what the gateway sends, done once per message so
 * that every client socket is handed the same bytes: no per-client framing, copy or
 * header allocation. Server frames are unmasked; events are final text frames, like
 * roomInfo, so that `JSON.parse(event.data)` works in every client (a browser hands a
 * binary frame over as a Blob). The JSON is UTF-8 by construction.
 */

const FIN_TEXT = 0x81;

/** Header size of a frame carrying n payload bytes. */
export function headerSize(n: number): number {
  return n < 126 ? 2 : n < 65_536 ? 4 : 10;
}

/** Writes the header of a frame of n payload bytes at buf[at]; returns where the payload starts. */
export function writeHeader(buf: Buffer, at: number, n: number): number {
  buf[at] = FIN_TEXT;
  if (n < 126) {
    buf[at + 1] = n;
    return at + 2;
  }
  if (n < 65_536) {
    buf[at + 1] = 126;
    buf.writeUInt16BE(n, at + 2);
    return at + 4;
  }
  buf[at + 1] = 127;
  buf.writeUInt32BE(Math.floor(n / 2 ** 32), at + 2);
  buf.writeUInt32BE(n >>> 0, at + 6);
  return at + 10;
}

/** One buffer with the frame of `text`: header, then the UTF-8 payload. */
export function frameText(text: string): Buffer {
  const n = Buffer.byteLength(text);
  const wire = Buffer.allocUnsafe(headerSize(n) + n);
  wire.write(text, writeHeader(wire, 0, n));
  return wire;
}

/** Where the payload of a single frame starts. */
export function payloadStart(wire: Buffer): number {
  const len = wire[1] & 0x7f;
  return len < 126 ? 2 : len === 126 ? 4 : 10;
}
