import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { CreatorEventName } from '@tiktool/protocol';
import { SessionRegistry } from '../src/hub/session-registry.js';
import type { Session } from '../src/hub/session.js';
import { planResume, type ResumeRequest, type StreamPosition } from '../src/transport/resume-plan.js';

const sessions = new SessionRegistry(60_000);
after(() => sessions.close());

/** A stream in epoch `e1` holding seqs 11..40. */
const stream: StreamPosition = { epoch: 'e1', head: 40, oldestSeq: 11 };

function earlier(lastSentSeq: number, epoch = 'e1'): Session {
  const s = sessions.create('alice', 'key1', undefined, epoch);
  s.lastSentSeq = lastSentSeq;
  return s;
}

function request(overrides: Partial<ResumeRequest> & { params?: ResumeRequest['params'] }): ResumeRequest {
  return { params: {}, uniqueId: 'alice', keyId: 'key1', found: undefined, stream, joinSeq: stream.head + 1, ...overrides };
}

describe('resume planning', () => {
  it('starts a new session at the live head, neither resumed nor recovered', () => {
    const plan = planResume(sessions, request({}));
    assert.equal(plan.fromSeq, 41);
    assert.deepEqual([plan.resumed, plan.recovered], [false, false]);
    assert.equal(plan.session.epoch, 'e1');
    assert.equal(plan.session.keyId, 'key1');
  });

  it('starts the first clients of a freshly opened upstream at its first seq, not the head', () => {
    const plan = planResume(sessions, request({ joinSeq: 31 }));
    assert.equal(plan.fromSeq, 31);
    assert.equal(plan.recovered, false);
  });

  it('says resumed but not recovered when the named session is gone, and starts a new one', () => {
    const plan = planResume(sessions, request({ params: { sessionId: 'expired' } }));
    assert.notEqual(plan.session.id, 'expired');
    assert.deepEqual([plan.resumed, plan.recovered, plan.fromSeq], [true, false, 41]);
  });

  it('recovers a session whose next seq the stream still holds', () => {
    const found = earlier(25);
    const plan = planResume(sessions, request({ params: { sessionId: found.id }, found }));
    assert.equal(plan.session, found);
    assert.deepEqual([plan.resumed, plan.recovered, plan.fromSeq], [true, true, 26]);
  });

  it("reads from the client's lastSeq over the session's last sent seq", () => {
    const found = earlier(38);
    const plan = planResume(sessions, request({ params: { sessionId: found.id, lastSeq: 20 }, found }));
    assert.deepEqual([plan.recovered, plan.fromSeq], [true, 21]);
  });

  it('recovers a session that is exactly at the head: nothing to replay', () => {
    const found = earlier(40);
    const plan = planResume(sessions, request({ params: { sessionId: found.id }, found }));
    assert.deepEqual([plan.recovered, plan.fromSeq], [true, 41]);
  });

  it('starts from the oldest held seq, not recovered, when the history was trimmed past the session', () => {
    const found = earlier(5);
    const plan = planResume(sessions, request({ params: { sessionId: found.id }, found }));
    assert.deepEqual([plan.resumed, plan.recovered, plan.fromSeq], [true, false, 11]);
  });

  it('starts live, not recovered, when lastSeq is beyond the head', () => {
    const found = earlier(10);
    const plan = planResume(sessions, request({ params: { sessionId: found.id, lastSeq: 99 }, found }));
    assert.deepEqual([plan.resumed, plan.recovered, plan.fromSeq], [true, false, 41]);
  });

  it('restarts a session of an older epoch at the join seq, its seqs forgotten', () => {
    const found = earlier(25, 'e0');
    const plan = planResume(sessions, request({ params: { sessionId: found.id, lastSeq: 25 }, found, joinSeq: 33 }));
    assert.equal(plan.session, found);
    assert.deepEqual([plan.resumed, plan.recovered, plan.fromSeq], [true, false, 33]);
    assert.equal(found.epoch, 'e1');
    assert.equal(found.lastSentSeq, 0);
  });

  it("takes the resume URL's events filter, not the one the session began with", () => {
    const found = sessions.create('alice', 'key1', new Set<CreatorEventName>(['chat']), 'e1');
    const events = new Set<CreatorEventName>(['gift', 'like']);
    planResume(sessions, request({ params: { sessionId: found.id, events }, found }));
    assert.equal(found.events, events);
    planResume(sessions, request({ params: { sessionId: found.id }, found }));
    assert.equal(found.events, undefined);
  });
});
