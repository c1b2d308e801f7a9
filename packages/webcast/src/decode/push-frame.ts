/** WebcastPushFrame: the envelope of every WebSocket message. */

import { WireFormatError, WireReader } from '../wire/reader.js';
import { key, LEN, VARINT } from './fields.js';

export interface PushFrame {
  seqId: string;
  logId: string;
  payloadEncoding: string;
  payloadType: string;
  /** A view into the frame's buffer. */
  payload: Uint8Array;
}

const EMPTY = new Uint8Array(0);

export function readPushFrame(bytes: Uint8Array): PushFrame {
  const r = new WireReader(bytes);
  const end = r.len;
  let seqId = '0';
  let logId = '0';
  let payloadEncoding = '';
  let payloadType = '';
  let payload: Uint8Array = EMPTY;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, VARINT):
        seqId = r.uint64String();
        break;
      case key(2, VARINT):
        logId = r.uint64String();
        break;
      case key(6, LEN):
        payloadEncoding = r.string();
        break;
      case key(7, LEN):
        payloadType = r.string();
        break;
      case key(8, LEN):
        payload = r.bytes();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  if (r.pos !== end) throw new WireFormatError('push frame overruns its length');
  return { seqId, logId, payloadEncoding, payloadType, payload };
}

/** gzip's magic bytes and method (deflate). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
}
