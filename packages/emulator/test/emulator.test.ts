/** The emulator's HTTP and WebSocket endpoints, as a TikTok client sees them. */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { webcastSchema } from '@tiktool/webcast';
import WebSocket from 'ws';
import { startEmulator, type Emulator } from '../src/index.js';
import { waitFor } from '@tiktool/testkit';

let emu: Emulator;

before(async () => {
  emu = await startEmulator({ rate: 0, creators: { offline: ['sleepy'], missing: ['ghost'] } });
});

after(async () => {
  await emu.close();
});

/** A JSON value reached by a path of keys; undefined when absent. */
function dig(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(emu.url + path);
  return { status: res.status, body: await res.json() };
}

test('the live page carries SIGI_STATE with the room id and live status', async () => {
  const html = await (await fetch(`${emu.url}/@alice/live`)).text();
  const m = /<script id="SIGI_STATE" type="application\/json">(.*?)<\/script>/.exec(html);
  assert.ok(m);
  const info = dig(JSON.parse(m[1]), 'LiveRoom', 'liveRoomUserInfo');
  assert.equal(dig(info, 'user', 'roomId'), emu.roomId('alice'));
  assert.equal(dig(info, 'liveRoom', 'status'), 2);
  const offline = /SIGI_STATE[^>]*>(.*?)<\/script>/.exec(await (await fetch(`${emu.url}/@sleepy/live`)).text());
  assert.equal(dig(JSON.parse(offline![1]), 'LiveRoom', 'liveRoomUserInfo', 'liveRoom', 'status'), 4);
});

test('api-live, room info and the anchors endpoint', async () => {
  const live = await getJson('/api-live/user/room/?uniqueId=alice&sourceType=54');
  assert.equal(dig(live.body, 'statusCode'), 0);
  assert.equal(dig(live.body, 'data', 'user', 'roomId'), emu.roomId('alice'));
  assert.equal(dig((await getJson('/api-live/user/room/?uniqueId=ghost&sourceType=54')).body, 'statusCode'), 19881007);
  const info = await getJson(`/webcast/room/info/?room_id=${emu.roomId('alice')}`);
  assert.equal(dig(info.body, 'data', 'status'), 2);
  assert.equal(dig(info.body, 'data', 'title'), 'alice is LIVE');
  assert.equal(dig((await getJson(`/webcast/room/info/?room_id=${emu.roomId('sleepy')}`)).body, 'data', 'status'), 4);
  const anchor = await getJson('/webcast/anchors/alice/room_id');
  assert.deepEqual([dig(anchor.body, 'ok'), dig(anchor.body, 'room_id')], [true, emu.roomId('alice')]);
  assert.equal((await getJson('/webcast/anchors/ghost/room_id')).status, 404);
});

test('sign connect returns a protobuf fetch result pointing at the push socket, with a cookie', async () => {
  const res = await fetch(`${emu.url}/webcast/rooms/${emu.roomId('alice')}/connect?client=test&cursor=&client_enter=true`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('x-set-tt-cookie') ?? '', /ttwid=/);
  const result = webcastSchema().decode('ProtoMessageFetchResult', Buffer.from(await res.arrayBuffer()));
  assert.match(String(result.pushServer), /^ws:\/\/127\.0\.0\.1:\d+\/webcast\/im\/push\/v2\/$/);
  assert.equal(result.needAck, true);
  assert.match(String(result.cursor), /^r-\d+$/);
});

test('the push socket answers no pings, and stats count its connections', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${emu.port}/webcast/im/push/v2/?room_id=${emu.roomId('alice')}&cursor=`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let pongs = 0;
  ws.on('pong', () => pongs++);
  ws.ping();
  await waitFor(() => emu.stats().rooms.alice.connections === 1, { what: 'the connection in stats' });
  const stats = await getJson('/_emulator/stats');
  assert.equal(dig(stats.body, 'rooms', 'alice', 'connections'), 1);
  // A pong would arrive before any later frame the emulator sends on this socket.
  const next = once(ws, 'message');
  emu.emit('alice', 1);
  await next;
  assert.equal(pongs, 0);
  ws.terminate();
});

test('a rejected upgrade is HTTP 200 with handshake-status and handshake-msg', async () => {
  emu.rejectHandshake();
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${emu.port}/webcast/im/push/v2/?room_id=${emu.roomId('alice')}`);
    const res = await new Promise<{ status?: number; headers: Record<string, unknown> }>((resolve) => {
      ws.once('unexpected-response', (_req, r) => resolve({ status: r.statusCode, headers: r.headers }));
    });
    ws.on('error', () => {});
    ws.terminate();
    assert.equal(res.status, 200);
    assert.equal(res.headers['handshake-status'], '403');
    assert.match(String(res.headers['handshake-msg']), /rejected/);
  } finally {
    emu.rejectHandshake('*', false);
  }
});

test('a creator emits at the configured rate and every msgId is recorded with its send time', async () => {
  const timed = await startEmulator({ rate: 100 });
  const seen: string[] = [];
  try {
    const res = await fetch(`${timed.url}/webcast/rooms/${timed.roomId('zed')}/connect?client=t&cursor=&client_enter=true`);
    await res.arrayBuffer();
    await waitFor(() => timed.emittedMessages('zed').length >= 25, { what: '25 messages' });
    const emitted = timed.emittedMessages('zed');
    // Paced, not all at once: a loaded machine can only make it slower, so only "not faster" is checked.
    const spanMs = emitted[emitted.length - 1].sentAt - emitted[0].sentAt;
    assert.ok(spanMs >= ((emitted.length - 1) * 1000) / 100 / 2, `${emitted.length} messages in ${spanMs} ms at 100/s`);
    for (let i = 1; i < emitted.length; i++) assert.ok(emitted[i].sentAt >= emitted[i - 1].sentAt);
    seen.push(...timed.emitted('zed'));
    assert.equal(new Set(seen).size, seen.length);
  } finally {
    await timed.close();
  }
});
