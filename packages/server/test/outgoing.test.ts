import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Burst } from '../src/hub/burst.js';
import { CreatorStream, type StreamEntry } from '../src/hub/creator-stream.js';
import { WRITE_MAX_BYTES, batchFrames, joinedFrames, type Outgoing } from '../src/hub/outgoing.js';

/** The messages in a buffer of whole frames (final text frames, unmasked, as the gateway writes them). */
function messagesIn(wire: Buffer): string[] {
  const out: string[] = [];
  for (let at = 0; at < wire.length; ) {
    const len7 = wire[at + 1] & 0x7f;
    const [n, start] =
      len7 < 126 ? [len7, at + 2] : len7 === 126 ? [wire.readUInt16BE(at + 2), at + 4] : [Number(wire.readBigUInt64BE(at + 2)), at + 10];
    assert.equal(wire[at], 0x81, 'a final text frame');
    out.push(wire.subarray(start, start + n).toString());
    at = start + n;
  }
  return out;
}

function entries(count: number, padBytes: number): StreamEntry[] {
  const stream = new CreatorStream('outgoing_test', { maxEvents: count + 1, maxAgeMs: 3_600_000 });
  return Array.from({ length: count }, () => stream.append('chat', `{"comment":"${'x'.repeat(padBytes)}"}`));
}

const seqOf = (json: string) => (JSON.parse(json) as { seq: number }).seq;

describe('outgoing frames', () => {
  it('joined: every entry as its own frame, at most 64 KiB per buffer, in order', () => {
    const list = entries(300, 1000);
    const out = joinedFrames(list);
    assert.ok(out.length > 1, 'a big burst leaves in several writes');
    for (const o of out) assert.ok(o.wire.byteLength <= WRITE_MAX_BYTES);
    assert.deepEqual(
      out.flatMap((o) => messagesIn(o.wire)).map(seqOf),
      list.map((e) => e.seq),
    );
    assert.equal(
      out.reduce((n, o) => n + o.events, 0),
      300,
    );
    assert.deepEqual(out.at(-1)!.lastSeq, 300);
  });

  it('joined: one entry alone is its own bytes, not a copy', () => {
    const [only] = entries(1, 10);
    assert.equal(joinedFrames([only])[0].wire, only.wire);
  });

  it('batch: JSON arrays of the entries, each frame at most 64 KiB, with no event lost or repeated', () => {
    const list = entries(300, 1000);
    const out = batchFrames(list);
    assert.ok(out.length > 1);
    const seqs: number[] = [];
    for (const o of out) {
      assert.ok(o.wire.byteLength <= WRITE_MAX_BYTES, `${o.wire.byteLength} bytes`);
      const [array] = messagesIn(o.wire);
      const events = JSON.parse(array) as { seq: number }[];
      assert.equal(events.length, o.events);
      assert.equal(events.at(-1)!.seq, o.lastSeq);
      seqs.push(...events.map((e) => e.seq));
    }
    assert.deepEqual(
      seqs,
      list.map((e) => e.seq),
    );
  });

  it('batch: an event larger than 64 KiB goes alone, in a frame with a 64-bit length', () => {
    const [big, small] = [entries(1, 70_000)[0], entries(1, 10)[0]];
    const out: Outgoing[] = batchFrames([small, big, small]);
    assert.equal(out.length, 3);
    assert.equal(out[1].wire[1], 127);
    assert.equal(JSON.parse(messagesIn(out[1].wire)[0])[0].data.comment.length, 70_000);
  });

  it('a burst builds its frames once and hands every subscriber the same bytes', () => {
    const burst = new Burst();
    burst.entries.push(...entries(3, 10));
    assert.equal(burst.joinedFrames(), burst.joinedFrames());
    assert.equal(burst.batchFrames(), burst.batchFrames());
    assert.deepEqual(
      JSON.parse(messagesIn(burst.batchFrames()[0].wire)[0]).map((e: { seq: number }) => e.seq),
      [1, 2, 3],
    );
  });
});
