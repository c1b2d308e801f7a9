import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame } from '../src/frame.js';

function decode(value: unknown) {
  return decodeFrame(JSON.stringify(value));
}

describe('decoding the gateway frames of a roster', () => {
  it('reads liveStatus, rosterInfo, subscribed and error as control messages, and a creator event with its uniqueId', () => {
    const { envelopes, errors } = decodeFrame(
      JSON.stringify([
        { event: 'rosterInfo', data: { sessionId: 's1', creators: ['a', 'b'], resumed: false } },
        { event: 'liveStatus', data: { uniqueId: 'b', live: false, checkedAt: 1, reason: 'not live' } },
        { event: 'subscribed', data: { uniqueId: 'c', creators: ['a', 'b', 'c'], id: 'r1' } },
        { event: 'error', data: { code: 4429, message: 'over the limit', uniqueId: 'd', id: 'r2' } },
        { event: 'chat', data: {}, seq: 3, uniqueId: 'a' },
      ]),
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(
      envelopes.map((e) => (e.kind === 'control' ? e.envelope.event : `${e.event}@${e.uniqueId}#${e.seq}`)),
      ['rosterInfo', 'liveStatus', 'subscribed', 'error', 'chat@a#3'],
    );
  });

  it('reports a control message that lacks its fields, and keeps the rest of the frame', () => {
    const { envelopes, errors } = decodeFrame(
      JSON.stringify([
        { event: 'liveStatus', data: { uniqueId: 'b', checkedAt: 1 } },
        { event: 'subscribed', data: { uniqueId: 'c', creators: 'a,b' } },
        { event: 'error', data: { message: 'no code' } },
        { event: 'chat', data: {}, seq: 4 },
      ]),
    );
    assert.deepEqual(
      errors.map((e) => [e.code, e.message]),
      [
        ['ERR_PROTOCOL', '"liveStatus" lacks the fields the wire contract gives it'],
        ['ERR_PROTOCOL', '"subscribed" lacks the fields the wire contract gives it'],
        ['ERR_PROTOCOL', '"error" lacks the fields the wire contract gives it'],
      ],
    );
    assert.equal(envelopes.length, 1);
    assert.deepEqual(decode({ event: 'chat', data: {}, seq: 4 }).envelopes[0], {
      kind: 'event',
      event: 'chat',
      data: {},
      seq: 4,
      uniqueId: undefined,
    });
  });
});
