import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamCursor } from '../src/cursor.js';
import { roomInfo } from './scripted-gateway.js';

describe('stream cursor', () => {
  it('starts at the roomInfo seq and admits only newer seqs', () => {
    const cursor = new StreamCursor();
    assert.equal(cursor.applyRoomInfo(roomInfo({ seq: 10 })), undefined);
    assert.equal(cursor.lastSeq, 10);
    assert.equal(cursor.admit(10), false);
    assert.equal(cursor.admit(11), true);
    assert.equal(cursor.admit(13), true); // gaps are normal with an events filter
    assert.equal(cursor.admit(12), false);
    assert.equal(cursor.lastSeq, 13);
  });

  it('keeps its position on a resume within the epoch', () => {
    const cursor = new StreamCursor();
    cursor.applyRoomInfo(roomInfo({ seq: 10 }));
    cursor.admit(11);
    const resumed = cursor.applyRoomInfo(roomInfo({ seq: 20, resumed: true, recovered: true, replayed: 9 }));
    assert.deepEqual(resumed, { uniqueId: 'streamer', recovered: true, replayed: 9 });
    assert.equal(cursor.lastSeq, 11);
    assert.equal(cursor.admit(12), true);
  });

  it('passes on recovered:false, and a fresh session is never recovered', () => {
    const cursor = new StreamCursor();
    cursor.applyRoomInfo(roomInfo());
    assert.deepEqual(cursor.applyRoomInfo(roomInfo({ resumed: true, recovered: false, replayed: 4 })), {
      uniqueId: 'streamer',
      recovered: false,
      replayed: 4,
    });
    assert.deepEqual(cursor.applyRoomInfo(roomInfo({ sessionId: 'sess_other_01', resumed: false, recovered: true })), {
      uniqueId: 'streamer',
      recovered: false,
      replayed: 0,
    });
    assert.equal(cursor.sessionId, 'sess_other_01');
  });

  it('restarts at the new epoch, whatever the server claims', () => {
    const cursor = new StreamCursor();
    cursor.applyRoomInfo(roomInfo({ epoch: 'a', seq: 100 }));
    const resumed = cursor.applyRoomInfo(roomInfo({ epoch: 'b', seq: 5, resumed: true, recovered: true }));
    assert.deepEqual(resumed, { uniqueId: 'streamer', recovered: false, replayed: 0 });
    assert.equal(cursor.lastSeq, 5);
    assert.equal(cursor.admit(6), true);

    cursor.applyRoomInfo(roomInfo({ epoch: 'c', seq: 5, resumed: true, replayed: 5 }));
    assert.equal(cursor.admit(1), true);
  });
});
