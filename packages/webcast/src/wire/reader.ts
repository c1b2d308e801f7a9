/**
 * protobufjs's Reader plus the helpers the hand-written decoders need. The decoders walk
 * one buffer field by field and read only what they emit, so nothing is copied: bytes
 * fields come back as Buffer views and nested messages as end offsets (`lengthEnd`).
 * protobufjs returns int64 fields as Longs; `int64Number` and `int64String` turn them
 * into the numbers and decimal strings the events carry.
 */

import { TiktoolError } from '@tiktool/protocol';
import protobuf from 'protobufjs';

/** Bytes that are not the protobuf they should be. */
export class WireFormatError extends TiktoolError<'ERR_WIRE_FORMAT'> {
  override name = 'WireFormatError';
  constructor(message: string) {
    super('ERR_WIRE_FORMAT', message);
  }
}

const TWO_32 = 4294967296;
/** While the high word is in [-2^21, 2^21) the value fits a JS number exactly. */
const SAFE_HIGH = 0x200000;

/**
 * A BufferReader rather than a Reader: its string() is Node's native utf8Slice, which
 * decodes the short strings of room messages faster than a JS loop does.
 */
export class WireReader extends protobuf.BufferReader {
  declare buf: Buffer;

  constructor(bytes: Uint8Array) {
    super(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  /** An int64 as a number: exact up to 2^53, which covers every timestamp and count. */
  int64Number(): number {
    const v = this.int64();
    return v.high * TWO_32 + (v.low >>> 0);
  }

  /** An int64 as a decimal string: ids do not fit a JS number. */
  int64String(): string {
    const v = this.int64();
    if (v.high >= -SAFE_HIGH && v.high < SAFE_HIGH) return String(v.high * TWO_32 + (v.low >>> 0));
    return ((BigInt(v.high) << 32n) | BigInt(v.low >>> 0)).toString();
  }

  /** A uint64 as a decimal string. */
  uint64String(): string {
    const v = this.uint64();
    const high = v.high >>> 0;
    if (high < SAFE_HIGH) return String(high * TWO_32 + (v.low >>> 0));
    return ((BigInt(high) << 32n) | BigInt(v.low >>> 0)).toString();
  }

  /** Reads a length prefix and returns the end offset of the field's bytes. */
  lengthEnd(): number {
    const length = this.size();
    const end = this.pos + length;
    if (end > this.len) throw new WireFormatError('length-delimited field past end of buffer');
    return end;
  }
}
