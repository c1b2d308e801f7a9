/**
 * A forward-only reader of protobuf wire format over one buffer. The decoders walk it
 * field by field and read only what they emit, so nothing is copied: bytes fields come
 * back as subarrays and nested messages as end offsets.
 */

export const WireType = {
  VARINT: 0,
  I64: 1,
  LEN: 2,
  I32: 5,
} as const;

export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireFormatError';
  }
}

const TWO_32 = 4294967296;
/** Above this high word an int64 no longer fits a JS number exactly. */
const MAX_SAFE_HIGH = 0x1fffff;
/** Strings up to this length are decoded in JS: cheaper than a call into C++. */
const SHORT_STRING = 32;

export class WireReader {
  readonly buf: Buffer;
  pos: number;
  /** Set by int64 reads: the high 32 bits of the last value (unsigned). */
  private hi = 0;

  constructor(bytes: Uint8Array, start = 0) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get length(): number {
    return this.buf.length;
  }

  /** Reads a field key; returns (fieldNumber << 3) | wireType. */
  tag(): number {
    return this.uint32();
  }

  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= buf.length) throw new WireFormatError('varint past end of buffer');
    let b = buf[pos++];
    let value = b & 0x7f;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    for (let shift = 7; shift < 35; shift += 7) {
      if (pos >= buf.length) throw new WireFormatError('varint past end of buffer');
      b = buf[pos++];
      value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    // Wider than 32 bits (e.g. a negative int32 is sign-extended to 10 bytes): drop the rest.
    for (let i = 0; i < 5; i++) {
      if (pos >= buf.length) throw new WireFormatError('varint past end of buffer');
      if (buf[pos++] < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    throw new WireFormatError('varint longer than 10 bytes');
  }

  int32(): number {
    return this.uint32() | 0;
  }

  bool(): boolean {
    return this.uint32() !== 0;
  }

  /** Reads a 64-bit varint; returns the low 32 bits and keeps the high ones in `hi`. */
  private varint64(): number {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    let i = 0;
    for (; i < 4; i++) {
      if (pos >= buf.length) throw new WireFormatError('varint past end of buffer');
      b = buf[pos++];
      lo |= (b & 0x7f) << (i * 7);
      if (b < 0x80) {
        this.pos = pos;
        this.hi = 0;
        return lo >>> 0;
      }
    }
    if (pos >= buf.length) throw new WireFormatError('varint past end of buffer');
    b = buf[pos++];
    lo |= (b & 0x7f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (i = 0; i < 5; i++) {
        if (pos >= buf.length) throw new WireFormatError('varint past end of buffer');
        b = buf[pos++];
        hi |= (b & 0x7f) << (i * 7 + 3);
        if (b < 0x80) break;
      }
      if (b >= 0x80) throw new WireFormatError('varint longer than 10 bytes');
    }
    this.pos = pos;
    this.hi = hi >>> 0;
    return lo >>> 0;
  }

  /** An int64 as a number: exact up to 2^53, which covers every timestamp and count. */
  int64Number(): number {
    const lo = this.varint64();
    const hi = this.hi;
    if (hi <= MAX_SAFE_HIGH) return hi * TWO_32 + lo;
    if (hi & 0x80000000) return -((~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1);
    return hi * TWO_32 + lo;
  }

  /** An int64 as a decimal string: ids do not fit a JS number. */
  int64String(): string {
    const lo = this.varint64();
    const hi = this.hi;
    if (hi <= MAX_SAFE_HIGH) return String(hi * TWO_32 + lo);
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
  }

  /** A uint64 as a decimal string. */
  uint64String(): string {
    const lo = this.varint64();
    const hi = this.hi;
    if (hi <= MAX_SAFE_HIGH) return String(hi * TWO_32 + lo);
    return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  }

  /** Reads a length prefix and returns the end offset of the field's bytes. */
  lengthEnd(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.buf.length) throw new WireFormatError('length-delimited field past end of buffer');
    return end;
  }

  string(): string {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    return this.text(start, end);
  }

  /** UTF-8 text of buf[start, end). */
  text(start: number, end: number): string {
    const len = end - start;
    if (len === 0) return '';
    if (len <= SHORT_STRING) {
      const buf = this.buf;
      let ascii = true;
      for (let i = start; i < end; i++) {
        if (buf[i] >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        let s = '';
        for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
        return s;
      }
    }
    return this.buf.toString('utf8', start, end);
  }

  /** A bytes field as a view into the buffer (no copy). */
  bytes(): Buffer {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    return this.buf.subarray(start, end);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WireType.VARINT:
        this.uint32();
        return;
      case WireType.I64:
        this.advance(8);
        return;
      case WireType.LEN:
        this.pos = this.lengthEnd();
        return;
      case WireType.I32:
        this.advance(4);
        return;
      default:
        throw new WireFormatError(`unsupported wire type ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.buf.length) throw new WireFormatError('fixed-width field past end of buffer');
    this.pos += n;
  }
}
