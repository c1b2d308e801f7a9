import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import { WireFormatError, WireReader } from '../src/index.js';

const writer = () => protobuf.Writer.create();

test('int64 ids beyond 2^53 come back as decimal strings', () => {
  const values = ['0', '1', '127', '128', '9007199254740993', '7300000000000000123', '9223372036854775807', '-1', '-9223372036854775808'];
  const w = writer();
  for (const v of values) w.int64(v);
  const r = new WireReader(w.finish());
  for (const v of values) assert.equal(r.int64String(), v);
  assert.equal(r.pos, r.len);
});

test('int64 numbers (timestamps, counts) and uint64 strings decode exactly', () => {
  const w = writer()
    .int64(1_700_000_000_123)
    .int64(0)
    .int64(2 ** 40 + 5)
    .int64(-42);
  w.uint64('18446744073709551615').uint64(2 ** 53 - 1);
  const r = new WireReader(w.finish());
  assert.equal(r.int64Number(), 1_700_000_000_123);
  assert.equal(r.int64Number(), 0);
  assert.equal(r.int64Number(), 2 ** 40 + 5);
  assert.equal(r.int64Number(), -42);
  assert.equal(r.uint64String(), '18446744073709551615');
  assert.equal(r.uint64String(), String(2 ** 53 - 1));
});

test('a plain Uint8Array is read in place, as a Buffer view', () => {
  const bytes = writer()
    .uint32(300)
    .bytes(Buffer.from([1, 2, 3]))
    .finish();
  const copy = new Uint8Array(bytes.length + 2);
  copy.set(bytes, 2);
  const r = new WireReader(copy.subarray(2));
  assert.equal(r.uint32(), 300);
  const b = r.bytes();
  assert.ok(Buffer.isBuffer(b));
  assert.deepEqual([...b], [1, 2, 3]);
  assert.equal(b.buffer, copy.buffer);
});

test('strings: ascii, unicode and long ones', () => {
  const values = ['', 'hello', 'Ünïcode 🎉 こんにちは', 'x'.repeat(1000), 'Привет!'];
  const w = writer();
  for (const v of values) w.string(v);
  const r = new WireReader(w.finish());
  for (const v of values) assert.equal(r.string(), v);
});

test('lengthEnd walks nested messages of any size in place', () => {
  for (const size of [0, 1, 127, 128, 300, 20_000]) {
    const w = writer();
    w.uint32((1 << 3) | 2).fork();
    w.uint32((2 << 3) | 2).bytes(Buffer.alloc(size, 7));
    w.ldelim();
    w.uint32((3 << 3) | 0).uint32(99);
    const r = new WireReader(w.finish());
    assert.equal(r.tag(), (1 << 3) | 2);
    const end = r.lengthEnd();
    assert.equal(r.tag(), (2 << 3) | 2);
    assert.equal(r.bytes().length, size);
    assert.equal(r.pos, end);
    assert.equal(r.tag(), (3 << 3) | 0);
    assert.equal(r.uint32(), 99);
  }
});

test('reads past the end throw', () => {
  assert.throws(() => new WireReader(Buffer.from([0x05, 1, 2])).lengthEnd(), WireFormatError);
  assert.throws(() => new WireReader(Buffer.from([0x80])).uint32(), RangeError);
  assert.throws(() => new WireReader(Buffer.from([0x05, 1, 2])).string(), RangeError);
  assert.throws(() => new WireReader(Buffer.from([1, 2])).skipType(1), RangeError);
  assert.throws(() => new WireReader(Buffer.from([1])).skipType(7), Error);
});
