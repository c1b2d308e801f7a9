/** The emulator's rooms: bounded in time and number, and switched live or offline by its control API. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UpstreamConnection } from '@tiktool/webcast';
import { defaults, startEmulator, type Emulator, type EmulatorStats } from '../src/index.js';
import { waitFor } from '@tiktool/testkit';
import { Recorder, upstreamFor } from './helpers.js';

async function statsOf(emu: Emulator): Promise<EmulatorStats> {
  return (await (await fetch(`${emu.url}/_emulator/stats`)).json()) as EmulatorStats;
}

/** Polls /_emulator/stats until the predicate holds. */
async function statsUntil(emu: Emulator, predicate: (s: EmulatorStats) => boolean, what: string): Promise<EmulatorStats> {
  let stats!: EmulatorStats;
  await waitFor(
    async () => {
      stats = await statsOf(emu);
      return predicate(stats);
    },
    { timeoutMs: 8000, what },
  );
  return stats;
}

function control(emu: Emulator, uniqueId: string, body: unknown): Promise<Response> {
  return fetch(`${emu.url}/_emulator/creators/${uniqueId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

test('a room nobody is connected to stops after the linger; watched rooms go on', async () => {
  // The linger outlasts the steps of one connect on a loaded machine (lookup, first fetch, push socket).
  const emu = await startEmulator({ rate: 50, roomLingerMs: 2000 });
  try {
    const up = upstreamFor(emu);
    const recorders: Recorder[] = [];
    const connections: UpstreamConnection[] = [];
    for (let i = 0; i < 20; i++) {
      recorders.push(new Recorder());
      connections.push(await up.connect(`linger_${i}`, recorders[i].sink));
    }
    const seen = recorders[0].events.length;
    // Longer than the linger: 125 more events at 50/s.
    await waitFor(() => recorders[0].events.length >= seen + 125, { timeoutMs: 15_000, what: 'events over more than the linger' });
    const watched = await statsOf(emu);
    assert.equal(watched.roomCount, 20, 'rooms with a push connection do not stop');
    for (const c of connections) c.close();
    const after = await statsUntil(emu, (s) => s.roomCount === 0, 'the rooms to stop');
    assert.deepEqual(after.rooms, {});
    // A creator asked for again gets a fresh room.
    const again = new Recorder();
    await up.connect('linger_0', again.sink);
    await waitFor(() => again.events.length > 0, { what: 'events from the fresh room' });
    await up.close();
  } finally {
    await emu.close();
  }
});

test('rooms are capped: the least recently used idle room is dropped, and when all are busy new ones are refused', async () => {
  const emu = await startEmulator({ rate: 0, maxRooms: 3, roomLingerMs: 60_000 });
  try {
    const up = upstreamFor(emu);
    const held = await Promise.all(['cap_a', 'cap_b', 'cap_c'].map((n) => up.connect(n, new Recorder().sink)));
    const refused = await fetch(`${emu.url}/api-live/user/room/?uniqueId=cap_d&sourceType=54`);
    assert.equal(refused.status, 429);
    assert.match(((await refused.json()) as { message: string }).message, /room limit reached: 3 rooms/);

    held[0].close();
    await statsUntil(emu, (s) => s.rooms.cap_a?.connections === 0, 'cap_a idle');
    const d = new Recorder();
    await up.connect('cap_d', d.sink);
    const s = await statsOf(emu);
    assert.equal(s.roomCount, 3);
    assert.deepEqual(Object.keys(s.rooms).sort(), ['cap_b', 'cap_c', 'cap_d']);
    await up.close();
  } finally {
    await emu.close();
  }
});

test('offline_* creators exist but are not live, missing_* do not exist', async () => {
  const emu = await startEmulator({ rate: 0 });
  try {
    const up = upstreamFor(emu);
    await assert.rejects(up.connect('offline_sam', new Recorder().sink), (e: Error & { code?: string }) => e.code === 'OFFLINE');
    await assert.rejects(up.connect('missing_sam', new Recorder().sink), (e: Error & { code?: string }) => e.code === 'USER_NOT_FOUND');
    const state = await (await fetch(`${emu.url}/_emulator/creators/offline_sam`)).json();
    assert.deepEqual(state, { uniqueId: 'offline_sam', live: false, roomId: emu.roomId('offline_sam'), status: 'ended' });
    assert.equal((await fetch(`${emu.url}/_emulator/creators/missing_sam`)).status, 404);
    await up.close();
  } finally {
    await emu.close();
  }
});

test('POST /_emulator/creators/{uniqueId} ends a LIVE as TikTok does, and starts a new one', async () => {
  const emu = await startEmulator({ rate: 40 });
  try {
    const up = upstreamFor(emu);
    const watching = new Recorder();
    await up.connect('switchy', watching.sink);
    await waitFor(() => watching.events.length > 0, { what: 'events' });

    const off = await control(emu, 'switchy', { live: false });
    assert.equal(off.status, 200);
    assert.deepEqual(await off.json(), { uniqueId: 'switchy', live: false, roomId: emu.roomId('switchy'), status: 'ended' });
    assert.deepEqual(await watching.closed, { kind: 'ended' });
    assert.equal(watching.events.at(-1)!.event, 'streamEnd', 'the control message ends the stream');
    const info = (await (await fetch(`${emu.url}/webcast/room/info/?room_id=${emu.roomId('switchy')}`)).json()) as {
      data: { status: number };
    };
    assert.equal(info.data.status, 4, 'room info says the LIVE ended');
    await assert.rejects(up.connect('switchy', new Recorder().sink), (e: Error & { code?: string }) => e.code === 'OFFLINE');

    const on = await control(emu, 'switchy', { live: true });
    assert.equal(((await on.json()) as { live: boolean }).live, true);
    const again = new Recorder();
    await up.connect('switchy', again.sink);
    await waitFor(() => again.events.length >= 10, { what: 'events of the new LIVE' });
    assert.ok(!again.events.some((e) => e.event === 'streamEnd'), 'nothing of the old LIVE is resent');

    await control(emu, 'offline_pat', { live: true });
    const pat = new Recorder();
    await up.connect('offline_pat', pat.sink);
    await waitFor(() => pat.events.length > 0, { what: 'an offline_ creator switched live' });
    await up.close();
  } finally {
    await emu.close();
  }
});

test('the control endpoint answers bad requests with a status and a message', async () => {
  const emu = await startEmulator({ rate: 0 });
  try {
    const cases: [Promise<Response>, number, RegExp][] = [
      [control(emu, 'someone', 'not json'), 400, /must be JSON/],
      [control(emu, 'someone', { live: 'yes' }), 400, /"live": true/],
      [control(emu, 'someone', { live: false, reason: 'bored' }), 400, /reason/],
      [control(emu, 'someone', { live: false, pad: 'x'.repeat(2000) }), 413, /larger than/],
      [control(emu, 'missing_x', { live: true }), 404, /does not exist/],
      [fetch(`${emu.url}/_emulator/creators/someone`, { method: 'DELETE' }), 405, /GET or POST/],
      [fetch(`${emu.url}/_emulator/nope`), 404, /no control route/],
    ];
    for (const [response, status, message] of cases) {
      const res = await response;
      assert.equal(res.status, status);
      assert.match(((await res.json()) as { message: string }).message, message);
    }
    const suspended = await control(emu, 'someone', { live: false, reason: 'suspended' });
    assert.equal(((await suspended.json()) as { live: boolean }).live, false);
  } finally {
    await emu.close();
  }
});

test("a running LIVE's first fetch returns its recent messages, delivered before the push socket's", async () => {
  const emu = await startEmulator({ rate: 20 });
  try {
    const up = upstreamFor(emu);
    const rec = new Recorder();
    await up.connect('recent_rita', rec.sink);
    const emitted = emu.emitted('recent_rita');
    assert.ok(rec.events.length >= defaults.FIRST_FETCH_HISTORY, `${rec.events.length} events when connect() resolves`);
    assert.deepEqual(rec.msgIds(), emitted.slice(0, rec.events.length), "from the room's first message, in order");
    await up.close();
  } finally {
    await emu.close();
  }
});
