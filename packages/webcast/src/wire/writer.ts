/**
 * Protobuf wire format writer into one growing buffer. A nested message is written in
 * place: fork() reserves one byte for its length and ldelim() widens the prefix when
 * the message turns out to be 128 bytes or longer.
 */

import { WireType } from './reader.js';

const INITIAL_SIZE = 256;
const TWO_32 = 4294967296;

export class WireWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly forks: number[] = [];

  constructor(initialSize = INITIAL_SIZE) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  tag(field: number, wireType: number): this {
    return this.uint32(((field << 3) | wireType) >>> 0);
  }

  uint32(value: number): this {
    this.ensure(5);
    let v = value >>> 0;
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
    return this;
  }

  int32(value: number): this {
    return value < 0 ? this.int64(BigInt(value)) : this.uint32(value);
  }

  bool(value: boolean): this {
    return this.uint32(value ? 1 : 0);
  }

  /** An int64/uint64 given as a number, a decimal string or a bigint. */
  int64(value: number | string | bigint): this {
    let lo: number;
    let hi: number;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
      lo = value % TWO_32;
      hi = Math.floor(value / TWO_32);
    } else {
      const big = BigInt.asUintN(64, BigInt(value));
      lo = Number(big & 0xffffffffn);
      hi = Number(big >> 32n);
    }
    this.ensure(10);
    while (hi > 0 || lo > 0x7f) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
    return this;
  }

  string(value: string): this {
    const len = Buffer.byteLength(value);
    this.uint32(len);
    this.ensure(len);
    this.pos += this.buf.write(value, this.pos, 'utf8');
    return this;
  }

  bytes(value: Uint8Array): this {
    this.uint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /** Starts a length-delimited nested message (write its tag first). */
  fork(): this {
    this.ensure(1);
    this.forks.push(this.pos);
    this.pos += 1;
    return this;
  }

  /** Ends the message started by the matching fork() and writes its length. */
  ldelim(): this {
    const start = this.forks.pop();
    if (start === undefined) throw new Error('ldelim() without fork()');
    const len = this.pos - start - 1;
    let width = 1;
    for (let v = len >>> 7; v > 0; v >>>= 7) width++;
    if (width > 1) {
      this.ensure(width - 1);
      this.buf.copyWithin(start + width, start + 1, this.pos);
      this.pos += width - 1;
    }
    let v = len;
    let p = start;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
    return this;
  }

  /** The bytes written so far, as a view into the writer's buffer. */
  finish(): Buffer {
    if (this.forks.length > 0) throw new Error('finish() with an unclosed fork()');
    return this.buf.subarray(0, this.pos);
  }
}

export { WireType };
