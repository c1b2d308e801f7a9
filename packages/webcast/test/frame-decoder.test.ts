import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { FrameDecoder, Method, webcastSchema, type ProtoObject } from '../src/index.js';

const schema = webcastSchema();

function message(method: string, body: ProtoObject, msgId: string): ProtoObject {
  return { method, msgId, payload: schema.encode(method, body) };
}

function frame(messages: ProtoObject[], gzip = true): Buffer {
  const result = schema.encode('ProtoMessageFetchResult', {
    messages,
    cursor: 'r-9',
    internalExt: 'ext',
    now: 1_700_000_000_000,
    needAck: true,
  });
  return schema.encode('WebcastPushFrame', {
    seqId: 1,
    logId: '42',
    payloadEncoding: 'pb',
    payloadType: 'msg',
    payload: gzip ? gzipSync(result) : result,
  });
}

test('a gzip frame and a plain frame decode to the same events', () => {
  const m = message(Method.LIKE, { count: 3, total: 10, user: { id: '5', displayId: 'bob' } }, '100');
  const a = new FrameDecoder().decodeFrame(frame([m], true));
  const b = new FrameDecoder().decodeFrame(frame([m], false));
  assert.ok(a && b);
  assert.deepEqual(a.events, b.events);
  assert.equal(a.logId, '42');
  assert.equal(a.fetch?.cursor, 'r-9');
  assert.equal(a.fetch?.needAck, true);
  assert.deepEqual(a.events[0], {
    event: 'like',
    data: {
      msgId: '100',
      timestamp: 1_700_000_000_000,
      user: {
        userId: '5',
        uniqueId: 'bob',
        nickname: '',
        profilePictureUrl: '',
        followRole: 0,
        isSubscriber: false,
        isModerator: false,
        badges: [],
      },
      likeCount: 3,
      totalLikes: 10,
    },
  });
});

test('msgId falls back to common.msg_id, timestamp to common.create_time', () => {
  const m = message(Method.MEMBER, { common: { msgId: '777', createTime: 1_600_000_000_000 }, action: 1 }, '0');
  const d = new FrameDecoder().decodeFrame(frame([m]));
  assert.equal(d?.events[0].data.msgId, '777');
  assert.equal(d?.events[0].data.timestamp, 1_600_000_000_000);
});

test('social messages become follow or share by display text key, others pass through', () => {
  const social = (k: string, id: string) => message(Method.SOCIAL, { common: { displayText: { key: k } }, user: { id: '1' } }, id);
  const d = new FrameDecoder();
  const out = d.decodeFrame(
    frame([social('pm_main_follow_message_viewer_2', '1'), social('pm_mt_guidance_share', '2'), social('pm_other', '3')]),
  );
  assert.deepEqual(
    out?.events.map((e) => e.event),
    ['follow', 'share', 'unknown'],
  );
  assert.equal(d.stats.unknownMessages, 1);
});

test('control action 3 and 4 end the stream; 1 and 2 pause and resume it; others pass through', () => {
  const control = (action: number, id: string) => message(Method.CONTROL, { action }, id);
  const out = new FrameDecoder().decodeFrame(frame([control(3, '1'), control(4, '2'), control(1, '3'), control(2, '4'), control(7, '5')]));
  assert.deepEqual(
    out?.events.map((e) => (e.event === 'streamEnd' ? `${e.data.action}:${e.data.reason}` : e.event)),
    ['3:ended', '4:suspended', 'livePause', 'liveUnpause', 'unknown'],
  );
});

test('an unknown method passes through with its payload in base64', () => {
  const payload = Buffer.from([8, 150, 1]);
  const out = new FrameDecoder().decodeFrame(frame([{ method: 'WebcastGiftBroadcastMessage', msgId: '9', payload }]));
  assert.deepEqual(out?.events[0], {
    event: 'unknown',
    data: { msgId: '9', timestamp: 1_700_000_000_000, method: 'WebcastGiftBroadcastMessage', payload: payload.toString('base64') },
  });
});

test('a malformed message is skipped and counted; the rest of its frame is delivered', () => {
  const good = message(Method.LIKE, { count: 1, total: 1 }, '1');
  const bad = { method: Method.CHAT, msgId: '2', payload: Buffer.from([0x0a, 0x50, 1, 2]) };
  const d = new FrameDecoder();
  const out = d.decodeFrame(frame([bad, good]));
  assert.deepEqual(
    out?.events.map((e) => e.data.msgId),
    ['1'],
  );
  assert.equal(d.stats.malformedMessages, 1);
});

test('10,000 random and truncated frames: no throw, every one counted', () => {
  const d = new FrameDecoder();
  const real = frame([message(Method.CHAT, { content: 'hi', user: { id: '1' } }, '1')]);
  for (let i = 0; i < 5000; i++) assert.equal(d.decodeFrame(randomBytes(1 + (i % 300))), undefined);
  for (let i = 0; i < 5000; i++) assert.equal(d.decodeFrame(real.subarray(0, 1 + (i % (real.length - 1)))), undefined);
  assert.equal(d.stats.frames, 10_000);
  assert.equal(d.stats.malformedFrames + d.stats.unknownFrames, 10_000);
});
