/** The real WebCast client against the emulator, over loopback sockets. */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SEED_EVENT_NAMES, type UpstreamEvent, type User } from '@tiktool/protocol';
import { UpstreamError } from '@tiktool/webcast';
import { startEmulator, type Emulator } from '../src/index.js';
import { waitFor } from '@tiktool/testkit';
import { Recorder, sleep, upstreamFor } from './helpers.js';

let emu: Emulator;

before(async () => {
  emu = await startEmulator({ rate: 0, seed: 42, creators: { offline: ['sleepy'], missing: ['ghost'] } });
});

after(async () => {
  await emu.close();
});

const USER_KEYS = ['userId', 'uniqueId', 'nickname', 'profilePictureUrl', 'followRole', 'isSubscriber', 'isModerator', 'badges'];

function assertUser(u: User, where: string): void {
  assert.deepEqual(Object.keys(u).sort(), [...USER_KEYS].sort(), where);
  assert.match(u.userId, /^-?\d+$/, `${where}.userId`);
  assert.equal(typeof u.nickname, 'string');
  assert.equal(typeof u.followRole, 'number');
  for (const b of u.badges) assert.deepEqual(Object.keys(b).sort(), ['imageUrl', 'level', 'name', 'type']);
}

/** The documented fields of each event's data (besides msgId and timestamp). */
const DATA_KEYS: Record<string, string[]> = {
  chat: ['user', 'comment', 'emotes'],
  gift: [
    'user',
    'giftId',
    'giftName',
    'diamondCount',
    'repeatCount',
    'repeatEnd',
    'giftType',
    'groupId',
    'giftPictureUrl',
    'receiverUserId',
    'totalDiamondCount',
  ],
  like: ['user', 'likeCount', 'totalLikes'],
  member: ['user', 'actionId'],
  follow: ['user'],
  share: ['user'],
  roomUserSeq: ['viewerCount', 'topViewers'],
  subscribe: ['user', 'subMonth'],
  linkMicBattle: ['battleId', 'battleStatus', 'battleUsers'],
  linkMicArmies: ['battleId', 'battleStatus', 'armies'],
  roomPin: ['operator', 'pinnedMessage', 'pinEndTime'],
  liveIntro: ['host', 'description'],
  emote: ['user', 'emotes'],
  envelope: ['envelopeId', 'user', 'diamondCount', 'peopleCount'],
  questionNew: ['questionId', 'user', 'content'],
  streamEnd: ['action', 'reason'],
  imDelete: ['msgIds', 'userIds'],
  poll: ['pollId', 'action', 'title', 'options', 'operator', 'pollKind', 'endTime'],
  goalUpdate: ['goalId', 'description', 'status', 'subGoals', 'contributor', 'contributeCount', 'contributeScore'],
  rankUpdate: ['updates'],
  hourlyRank: ['rankType', 'label'],
  caption: ['sentenceId', 'timestampMs', 'durationMs', 'captions', 'final'],
  inRoomBanner: ['position', 'actionType', 'extra'],
  barrage: ['barrageType', 'textKey', 'text', 'user', 'duration'],
  superFan: ['kind', 'user', 'textKey', 'text', 'envelopeId', 'diamondCount'],
  unauthorizedMember: ['action', 'nickname', 'nicknamePrefix', 'enterText'],
  roomMessage: ['content'],
  linkMicBattlePunish: ['battleId', 'reason', 'operatorUserId'],
  linkMicBattleItemCard: ['battleId', 'cardType', 'cardName', 'imageUrl', 'sender', 'anchorUserId', 'effectSeconds', 'text'],
  oecLiveShopping: ['title', 'price', 'imageUrl', 'productUrl', 'shopName'],
  livePause: ['action', 'tips'],
  liveUnpause: ['action', 'tips'],
};

/** Users documented as an empty user when TikTok sends none (e.g. a poll update has no operator). */
const OPTIONAL_USERS = new Set(['poll.operator', 'barrage.user', 'goalUpdate.contributor', 'linkMicBattleItemCard.sender']);

function assertShape(e: UpstreamEvent): void {
  const data = e.data as unknown as Record<string, unknown>;
  assert.deepEqual(Object.keys(data).sort(), ['msgId', 'timestamp', ...DATA_KEYS[e.event]].sort(), e.event);
  assert.match(e.data.msgId, /^\d+$/);
  assert.ok(e.data.timestamp > 1_600_000_000_000, `${e.event}.timestamp`);
  for (const [k, v] of Object.entries(data)) {
    if (!v || typeof v !== 'object' || !('userId' in v)) continue;
    if (OPTIONAL_USERS.has(`${e.event}.${k}`) && (v as User).userId === '') continue;
    assertUser(v as User, `${e.event}.${k}`);
  }
}

test('every seed event type arrives with the documented fields', async () => {
  const up = upstreamFor(emu);
  const rec = new Recorder();
  const conn = await up.connect('alice', rec.sink);
  assert.equal(conn.room.uniqueId, 'alice');
  assert.equal(conn.room.roomId, emu.roomId('alice'));
  emu.emit('alice', 120);
  await waitFor(() => rec.events.length >= 120, { what: '120 events' });
  const names = new Set(rec.events.map((e) => e.event));
  for (const name of SEED_EVENT_NAMES) assert.ok(names.has(name), `missing ${name}`);
  for (const e of rec.events) assertShape(e);
  const gift = rec.events.find((e) => e.event === 'gift' && e.data.giftType === 1 && !e.data.repeatEnd);
  assert.ok(gift, 'a streak message that does not end the streak');
  assert.deepEqual(rec.msgIds(), emu.emitted('alice'));
  await up.close();
});

test('an upstream drop mid-stream heals with no lost and no duplicated msgId', async () => {
  const up = upstreamFor(emu);
  const rec = new Recorder();
  const conn = await up.connect('bob', rec.sink);
  for (let i = 0; i < 20; i++) {
    emu.emit('bob', 5);
    await sleep(5);
  }
  emu.drop('bob');
  // Messages emitted while the client is away must be recovered from the cursor.
  for (let i = 0; i < 20; i++) {
    emu.emit('bob', 5);
    await sleep(5);
  }
  await waitFor(() => conn.stats.reconnects >= 1, { what: 'a reconnect' });
  emu.emit('bob', 10);
  emu.endStream('bob');
  assert.deepEqual(await rec.closed, { kind: 'ended' });
  const emitted = emu.emitted('bob');
  assert.equal(emitted.length, 211);
  assert.deepEqual(rec.msgIds(), emitted, 'same msgIds, same order');
  assert.ok(conn.stats.duplicates > 0, 'the resent messages were dropped by msgId');
  assert.ok(rec.reconnects.length >= 1);
  assert.equal(rec.reconnects[0].error.code, 'NETWORK');
  assert.equal(conn.stats.firstFetches, 1, 'a reconnect does not call the sign provider');
  await up.close();
});

test('stream end: streamEnd is delivered, then closed(ended), then nothing', async () => {
  const up = upstreamFor(emu);
  const rec = new Recorder();
  await up.connect('carol', rec.sink);
  emu.emit('carol', 3);
  emu.endStream('carol', 4);
  assert.deepEqual(await rec.closed, { kind: 'ended' });
  const last = rec.events[rec.events.length - 1];
  assert.equal(last.event, 'streamEnd');
  assert.deepEqual(last.event === 'streamEnd' && [last.data.action, last.data.reason], [4, 'suspended']);
  assert.equal(up.connections.size, 0);
  // Once the upstream is closed, nothing can reach the sink any more: what came after closed() is counted.
  await up.close();
  assert.equal(rec.callsAfterClose, 0);
});

test('an offline creator is OFFLINE and a missing one USER_NOT_FOUND', async () => {
  const up = upstreamFor(emu);
  await assert.rejects(up.connect('sleepy', new Recorder().sink), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.code, 'OFFLINE');
    return true;
  });
  await assert.rejects(up.connect('ghost', new Recorder().sink), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.code, 'USER_NOT_FOUND');
    assert.match(err.message, /@ghost not found/);
    return true;
  });
  for (const sources of [['api'], ['sign']] as const) {
    const one = upstreamFor(emu, { roomIdSources: sources });
    await assert.rejects(one.connect('ghost', new Recorder().sink), { code: 'USER_NOT_FOUND' });
    await assert.rejects(one.connect('sleepy', new Recorder().sink), { code: 'OFFLINE' });
  }
  await up.close();
});

test('sign 429 is retried with backoff, then fails SIGN_RATE_LIMITED with a clear reason', async () => {
  const up = upstreamFor(emu, { signRetries: 2 });
  const before = emu.stats().signCalls;
  emu.rateLimitSign(3);
  await assert.rejects(up.connect('dave', new Recorder().sink), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.code, 'SIGN_RATE_LIMITED');
    assert.match(err.message, /rate limit: HTTP 429 on 3 attempts \(\(emulator\) Too many connections/);
    return true;
  });
  assert.equal(emu.stats().signCalls - before, 3);

  emu.rateLimitSign(2);
  const rec = new Recorder();
  const conn = await up.connect('dave', rec.sink);
  assert.equal(conn.room.uniqueId, 'dave');
  await up.close();
});

test('a wrong sign API key fails SIGN_FAILED', async () => {
  const keyed = await startEmulator({ rate: 0, signApiKey: 'right' });
  try {
    const up = upstreamFor(keyed, { signApiKey: 'wrong' });
    await assert.rejects(up.connect('erin', new Recorder().sink), (err: unknown) => {
      assert.ok(err instanceof UpstreamError);
      assert.equal(err.code, 'SIGN_FAILED');
      assert.match(err.message, /rejected the API key: HTTP 401/);
      return true;
    });
    const ok = upstreamFor(keyed, { signApiKey: 'right' });
    await ok.connect('erin', new Recorder().sink);
    await ok.close();
  } finally {
    await keyed.close();
  }
});

test('a push handshake answered with HTTP 200 is HANDSHAKE_REJECTED with the handshake headers', async () => {
  const up = upstreamFor(emu);
  emu.rejectHandshake('frank');
  try {
    await assert.rejects(up.connect('frank', new Recorder().sink), (err: unknown) => {
      assert.ok(err instanceof UpstreamError);
      assert.equal(err.code, 'HANDSHAKE_REJECTED');
      assert.match(err.message, /push socket: upgrade refused with HTTP 200, handshake-status 403, handshake-msg handshake rejected/);
      return true;
    });
  } finally {
    emu.rejectHandshake('frank', false);
  }
  await up.close();
});

test('reconnects that keep failing end in closed(failed) after the configured attempts', async () => {
  const up = upstreamFor(emu, { reconnectAttempts: 3 });
  const rec = new Recorder();
  const conn = await up.connect('gina', rec.sink);
  emu.rejectHandshake('gina');
  try {
    emu.drop('gina');
    const closed = await rec.closed;
    assert.equal(closed.kind, 'failed');
    assert.equal(closed.kind === 'failed' && closed.error.code, 'HANDSHAKE_REJECTED');
    assert.match(closed.kind === 'failed' ? closed.error.message : '', /after 3 reconnect attempts/);
    assert.deepEqual(
      rec.reconnects.map((r) => r.attempt),
      [1, 2, 3],
    );
    assert.ok(conn.stats.firstFetches >= 2, 'a rejected handshake makes the client sign again');
  } finally {
    emu.rejectHandshake('gina', false);
  }
  await up.close();
});

test('10,000 random and truncated frames: no crash, every one counted, the stream goes on', async () => {
  const up = upstreamFor(emu);
  const rec = new Recorder();
  const conn = await up.connect('hank', rec.sink);
  emu.garbage('hank', 5000);
  emu.truncated('hank', 5000);
  emu.emit('hank', 10);
  await waitFor(() => rec.events.length >= 10, { what: 'events after the garbage' });
  assert.equal(conn.stats.malformedFrames + conn.stats.unknownFrames, 10_000);
  assert.equal(conn.stats.malformedMessages, 0);
  assert.deepEqual(rec.msgIds(), emu.emitted('hank'));
  assert.equal(rec.reconnects.length, 0);
  await up.close();
});

test('a stalled push connection is detected without pings and healed from the cursor', async () => {
  const up = upstreamFor(emu, { staleTimeoutMs: 300 });
  const rec = new Recorder();
  const conn = await up.connect('ivy', rec.sink);
  emu.emit('ivy', 5);
  await waitFor(() => rec.events.length >= 5, { what: 'first events' });
  emu.stall('ivy', 1500);
  emu.emit('ivy', 5);
  await waitFor(() => conn.stats.reconnects >= 1, { what: 'a reconnect after the stall' });
  emu.emit('ivy', 5);
  emu.endStream('ivy');
  assert.deepEqual(await rec.closed, { kind: 'ended' });
  // Streaks still open at the end are finished by the upstream (gift-streaks.test.ts).
  assert.deepEqual(
    rec.msgIds().filter((id) => !id.endsWith('-streak-timeout')),
    emu.emitted('ivy'),
  );
  assert.match(rec.reconnects[0].error.message, /no frame from the push server/);
  await up.close();
});

test('direct mode connects without the sign provider and sends heartbeats and acks', async () => {
  const up = upstreamFor(emu, { direct: true, roomIdSources: ['api'] });
  const before = emu.stats().signCalls;
  const rec = new Recorder();
  const conn = await up.connect('judy', rec.sink);
  emu.emit('judy', 5);
  await waitFor(() => rec.events.length >= 5 && conn.stats.heartbeatsSent >= 1, { what: 'events and a heartbeat' });
  await waitFor(() => emu.stats().rooms.judy.heartbeats >= 1 && emu.stats().rooms.judy.acks >= 1, { what: 'hb and ack at the emulator' });
  assert.equal(emu.stats().signCalls, before);
  assert.equal(emu.stats().rooms.judy.connections, 1);
  await up.close();
  await waitFor(() => emu.stats().rooms.judy.connections === 0, { what: 'the push socket to close' });
});

test('a LIVE that ended while the client was away still ends with streamEnd, then closed(ended)', async () => {
  const up = upstreamFor(emu);
  const rec = new Recorder();
  await up.connect('kate', rec.sink);
  emu.emit('kate', 3);
  await waitFor(() => rec.events.length >= 3, { what: 'first events' });
  emu.rejectHandshake('kate');
  try {
    emu.drop('kate');
    emu.endStream('kate');
    assert.deepEqual(await rec.closed, { kind: 'ended' });
    const last = rec.events[rec.events.length - 1];
    assert.equal(last.event, 'streamEnd');
  } finally {
    emu.rejectHandshake('kate', false);
  }
  await up.close();
});

test('closing the upstream while a connect is in flight rejects it and leaves no socket open', async () => {
  const up = upstreamFor(emu);
  const rejected = assert.rejects(up.connect('liam', new Recorder().sink), UpstreamError);
  await up.close();
  await rejected;
  assert.equal(up.connections.size, 0);
  // A socket the in-flight connect opened must close: the emulator sees it go (or never saw it).
  await waitFor(() => (emu.stats().rooms.liam?.connections ?? 0) === 0, { what: "liam's push socket to close" });
});
