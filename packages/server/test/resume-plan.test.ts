import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CreatorPosition } from '../src/hub/session.js';
import { planResume, type ResumeRequest, type StreamPosition } from '../src/transport/resume-plan.js';

/** A stream in epoch `e1` holding seqs 11..40. */
const stream: StreamPosition = { epoch: 'e1', head: 40, oldestSeq: 11 };

const earlier = (lastSentSeq: number, epoch = 'e1'): CreatorPosition => ({ epoch, lastSentSeq });

function request(overrides: Partial<ResumeRequest>): ResumeRequest {
  return { resuming: false, found: undefined, lastSeq: undefined, stream, joinSeq: stream.head + 1, ...overrides };
}

describe('resume planning', () => {
  it('starts a new position at the live head, neither resumed nor recovered', () => {
    const plan = planResume(request({}));
    assert.equal(plan.fromSeq, 41);
    assert.deepEqual([plan.resumed, plan.recovered], [false, false]);
    assert.deepEqual(plan.position, { epoch: 'e1', lastSentSeq: 40 });
  });

  it('starts the first clients of a freshly opened upstream at its first seq, not the head', () => {
    const plan = planResume(request({ joinSeq: 31 }));
    assert.equal(plan.fromSeq, 31);
    assert.equal(plan.recovered, false);
  });

  it('says resumed but not recovered when the named session is gone', () => {
    const plan = planResume(request({ resuming: true }));
    assert.deepEqual([plan.resumed, plan.recovered, plan.fromSeq], [true, false, 41]);
  });

  it('recovers a position whose next seq the stream still holds', () => {
    const found = earlier(25);
    const plan = planResume(request({ resuming: true, found }));
    assert.equal(plan.position, found);
    assert.deepEqual([plan.resumed, plan.recovered, plan.fromSeq], [true, true, 26]);
  });

  it("reads from the client's lastSeq over the session's last sent seq", () => {
    const plan = planResume(request({ resuming: true, found: earlier(38), lastSeq: 20 }));
    assert.deepEqual([plan.recovered, plan.fromSeq], [true, 21]);
    assert.equal(plan.position.lastSentSeq, 20);
  });

  it('recovers a position that is exactly at the head: nothing to replay', () => {
    const plan = planResume(request({ resuming: true, found: earlier(40) }));
    assert.deepEqual([plan.recovered, plan.fromSeq], [true, 41]);
  });

  it('starts from the oldest held seq, not recovered, when the history was trimmed past the position', () => {
    const plan = planResume(request({ resuming: true, found: earlier(5) }));
    assert.deepEqual([plan.resumed, plan.recovered, plan.fromSeq], [true, false, 11]);
  });

  it('starts live, not recovered, when lastSeq is beyond the head', () => {
    const plan = planResume(request({ resuming: true, found: earlier(10), lastSeq: 99 }));
    assert.deepEqual([plan.resumed, plan.recovered, plan.fromSeq], [true, false, 41]);
  });

  it('restarts a position of an older epoch at the join seq, its seqs forgotten', () => {
    const found = earlier(25, 'e0');
    const plan = planResume(request({ resuming: true, found, lastSeq: 25, joinSeq: 33 }));
    assert.equal(plan.position, found);
    assert.deepEqual([plan.resumed, plan.recovered, plan.fromSeq], [true, false, 33]);
    assert.deepEqual(found, { epoch: 'e1', lastSentSeq: 32 });
  });

  it('starts a creator that never streamed on the session at the join seq, not recovered', () => {
    const plan = planResume(request({ resuming: true, found: earlier(0, ''), joinSeq: 31 }));
    assert.deepEqual([plan.resumed, plan.recovered, plan.fromSeq], [true, false, 31]);
  });
});
