import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCode } from '@tiktool/protocol';
import type { Emulator } from '@tiktool/emulator';
import type { Gateway } from '../src/index.js';
import { RawClient, TEST_KEY, connectUrl, startEmulatedGateway, type Envelope } from './helpers.js';
import { TcpProxy } from './tcp-proxy.js';

/** Live checks this often, so waiting creators are found live within a test's patience. */
const LIVE_CHECK_MS = 200;

type Tagged = Envelope & { uniqueId?: string };

const roster = (names: string[]) => names.join(',');
const of = (c: RawClient, event: string, uniqueId?: string) =>
  c.messages.filter((m) => m.event === event && (uniqueId === undefined || m.data.uniqueId === uniqueId));
/** A creator's events on the socket (not roomInfo, liveStatus or answers): those tagged with its uniqueId. */
const eventsOf = (c: RawClient, uniqueId: string) => (c.messages as Tagged[]).filter((m) => m.uniqueId === uniqueId && m.seq !== undefined);
const liveStatuses = (c: RawClient, uniqueId: string) => of(c, 'liveStatus', uniqueId).map((m) => m.data.live);

function assertGapless(seqs: number[], what: string): void {
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `${what}: seq ${seqs[i - 1]} then ${seqs[i]}`);
}

describe('roster sockets: many creators on one socket, each waiting for live', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  before(async () => {
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 20, liveCheckMs: LIVE_CHECK_MS }));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  const url = (params: Record<string, string | number>) => connectUrl(gateway, { apiKey: TEST_KEY, ...params });

  it('tags live creators’ events, has offline ones wait, brings them in as they go live, and waits again after a stream ends', async () => {
    const live = Array.from({ length: 15 }, (_, i) => `roster_live_${i}`);
    const offline = Array.from({ length: 5 }, (_, i) => `offline_roster_${i}`);
    const c = new RawClient(url({ uniqueIds: roster([...live, ...offline]) }));
    await c.until((x) => live.every((u) => eventsOf(x, u).length >= 3) && offline.every((u) => liveStatuses(x, u).length === 1), 20_000);

    const info = c.messages[0];
    assert.equal(info.event, 'rosterInfo', 'the roster comes first');
    assert.deepEqual(info.data.creators, [...live, ...offline]);
    assert.equal(info.data.resumed, false);
    for (const u of live) {
      const [room] = of(c, 'roomInfo', u);
      assert.ok(room, `${u} has its roomInfo`);
      assert.equal(room.data.sessionId, info.data.sessionId, 'one session for the roster');
      assert.ok(c.messages.indexOf(room) < c.messages.indexOf(eventsOf(c, u)[0]), `${u}: roomInfo before its events`);
      assertGapless(
        eventsOf(c, u).map((e) => e.seq!),
        u,
      );
    }
    for (const u of offline) {
      const [status] = of(c, 'liveStatus', u);
      assert.equal(status.data.live, false);
      assert.equal(typeof status.data.checkedAt, 'number');
      assert.equal(typeof status.data.reason, 'string');
      assert.equal(of(c, 'roomInfo', u).length, 0);
      assert.equal(eventsOf(c, u).length, 0);
    }

    const goingLive = offline.slice(0, 3);
    for (const u of goingLive) assert.ok(emulator.setLive(u, true));
    await c.until((x) => goingLive.every((u) => eventsOf(x, u).length >= 3), 15_000);
    for (const u of goingLive) {
      assert.deepEqual(liveStatuses(c, u), [false, true]);
      const [room] = of(c, 'roomInfo', u);
      assert.ok(c.messages.indexOf(of(c, 'liveStatus', u)[1]) < c.messages.indexOf(room), `${u}: liveStatus true, then roomInfo`);
      assert.ok(c.messages.indexOf(room) < c.messages.indexOf(eventsOf(c, u)[0]), `${u}: roomInfo, then events`);
    }
    for (const u of offline.slice(3)) assert.deepEqual(liveStatuses(c, u), [false], `${u} still waits`);

    // One creator's stream ends: it waits again; the socket and every other creator go on.
    const ending = live[0];
    emulator.endStream(ending);
    await c.until((x) => liveStatuses(x, ending).length === 1);
    const [ended] = of(c, 'liveStatus', ending);
    assert.deepEqual([ended.data.live, ended.data.reason], [false, 'stream ended']);
    assert.equal(eventsOf(c, ending).at(-1)?.event, 'streamEnd', 'its streamEnd came before');
    const counts = live.slice(1).map((u) => eventsOf(c, u).length);
    await c.until((x) => live.slice(1).every((u, i) => eventsOf(x, u).length > counts[i] + 2));
    assert.equal(c.ws.readyState, c.ws.OPEN);

    // It goes live again: a new roomInfo, then its events.
    assert.ok(emulator.setLive(ending, true));
    await c.until((x) => of(x, 'roomInfo', ending).length === 2 && eventsOf(x, ending).at(-1)?.event !== 'streamEnd', 15_000);
    assert.deepEqual(liveStatuses(c, ending), [false, true]);
    c.close();
  });

  it('filters (events=) and batches (batch=1) every creator of a roster', async () => {
    const c = new RawClient(url({ uniqueIds: 'batch_a,batch_b', events: 'chat', batch: 1 }));
    let arrays = 0;
    c.ws.on('message', (data) => {
      if (Array.isArray(JSON.parse(data.toString()))) arrays++;
    });
    await c.until((x) => eventsOf(x, 'batch_a').length >= 5 && eventsOf(x, 'batch_b').length >= 5);
    for (const u of ['batch_a', 'batch_b']) {
      assert.deepEqual(new Set(eventsOf(c, u).map((e) => e.event)), new Set(['chat']), u);
      assert.ok(!Array.isArray(of(c, 'roomInfo', u)[0]), 'roomInfo comes alone');
    }
    assert.ok(arrays > 0, 'events come as arrays');
    c.close();
  });

  it('answers subscribe and unsubscribe frames, and changes the roster', async () => {
    const c = new RawClient(url({ uniqueIds: '' }));
    await c.until((x) => of(x, 'rosterInfo').length === 1);
    assert.deepEqual(of(c, 'rosterInfo')[0].data.creators, []);
    c.ws.send(JSON.stringify({ action: 'subscribe', uniqueId: '@Frames_A', id: 'one' }));
    c.ws.send(JSON.stringify({ action: 'subscribe', uniqueId: 'offline_frames_b' }));
    await c.until((x) => eventsOf(x, 'frames_a').length >= 3 && liveStatuses(x, 'offline_frames_b').length === 1);
    const [first, second] = of(c, 'subscribed');
    assert.deepEqual(first.data, { uniqueId: 'frames_a', creators: ['frames_a'], id: 'one' });
    assert.deepEqual(second.data, { uniqueId: 'offline_frames_b', creators: ['frames_a', 'offline_frames_b'] });

    // Subscribing again changes nothing; unsubscribing stops the creator's events.
    c.ws.send(JSON.stringify({ action: 'subscribe', uniqueId: 'frames_a', id: 'again' }));
    c.ws.send(JSON.stringify({ action: 'unsubscribe', uniqueId: 'frames_a', id: 'bye' }));
    await c.until((x) => of(x, 'unsubscribed').length === 1);
    assert.deepEqual(of(c, 'subscribed')[2].data, { uniqueId: 'frames_a', creators: ['frames_a', 'offline_frames_b'], id: 'again' });
    assert.deepEqual(of(c, 'unsubscribed')[0].data, { uniqueId: 'frames_a', creators: ['offline_frames_b'], id: 'bye' });
    assert.equal(of(c, 'roomInfo', 'frames_a').length, 1, 'no second roomInfo for a creator already followed');
    const upTo = c.messages.length;
    // A creator that goes live later and gets events proves the socket still delivers: none of frames_a's come.
    c.ws.send(JSON.stringify({ action: 'subscribe', uniqueId: 'frames_c' }));
    await c.until((x) => eventsOf(x, 'frames_c').length >= 5);
    assert.equal(
      c.messages.slice(upTo).filter((m) => (m as Tagged).uniqueId === 'frames_a').length,
      0,
      'nothing of an unsubscribed creator',
    );
    c.close();
  });

  it('answers bad frames with error events and keeps the socket open', async () => {
    const c = new RawClient(url({ uniqueIds: 'bad_frames_live' }));
    await c.until((x) => eventsOf(x, 'bad_frames_live').length >= 1);
    c.ws.send('not json');
    c.ws.send(JSON.stringify({ action: 'dance', uniqueId: 'someone', id: 'x1' }));
    c.ws.send(JSON.stringify({ action: 'subscribe', uniqueId: 'no!such!name', id: 'x2' }));
    c.ws.send(JSON.stringify({ action: 'subscribe', id: 'x3' }));
    c.ws.send(JSON.stringify({ action: 'subscribe', uniqueId: 'missing_frames', id: 'x4' }));
    c.ws.send(JSON.stringify({ type: 'keepalive' }));
    await c.until((x) => of(x, 'error').length >= 5, 15_000);
    const errors = of(c, 'error').map((e) => e.data);
    assert.deepEqual(errors[0], { code: 4400, message: 'client messages must be JSON objects' });
    assert.deepEqual(
      errors.slice(1, 4).map((e) => [e.code, e.action, e.id]),
      [
        [4400, 'dance', 'x1'],
        [4400, 'subscribe', 'x2'],
        [4400, 'subscribe', 'x3'],
      ],
    );
    assert.match(errors[1].message as string, /action must be/);
    assert.match(errors[2].message as string, /TikTok username/);
    // A creator TikTok does not know: subscribed, then told it is not found, and it leaves the roster.
    assert.deepEqual(of(c, 'subscribed')[0].data, {
      uniqueId: 'missing_frames',
      creators: ['bad_frames_live', 'missing_frames'],
      id: 'x4',
    });
    assert.deepEqual([errors[4].code, errors[4].uniqueId], [CloseCode.NOT_FOUND, 'missing_frames']);
    c.ws.send(JSON.stringify({ action: 'unsubscribe', uniqueId: 'bad_frames_live' }));
    await c.until((x) => of(x, 'unsubscribed').length === 1);
    assert.deepEqual(of(c, 'unsubscribed')[0].data.creators, [], 'the missing creator left the roster');
    assert.equal(c.ws.readyState, c.ws.OPEN);
    c.close();
  });

  it('refuses subscribe frames on a single-creator socket without closing it', async () => {
    const c = new RawClient(url({ uniqueId: 'single_frames' }));
    await c.until((x) => x.events().length >= 1);
    c.ws.send(JSON.stringify({ action: 'subscribe', uniqueId: 'other_one' }));
    await c.until((x) => of(x, 'error').length === 1);
    assert.equal(of(c, 'error')[0].data.code, CloseCode.INVALID_PARAMS);
    assert.match(of(c, 'error')[0].data.message as string, /roster socket/);
    const n = c.events().length;
    await c.until((x) => x.events().length > n + 2);
    c.close();
  });

  it('limits subscribe frames per socket', async () => {
    const c = new RawClient(url({ uniqueIds: '' }));
    await c.until((x) => of(x, 'rosterInfo').length === 1);
    for (let i = 0; i < 40; i++) c.ws.send(JSON.stringify({ action: 'subscribe', uniqueId: 'offline_churn', id: String(i) }));
    await c.until((x) => of(x, 'subscribed').length + of(x, 'error').length === 40);
    assert.equal(of(c, 'subscribed').length, 30);
    const limited = of(c, 'error').map((e) => e.data);
    assert.ok(limited.every((e) => e.code === CloseCode.RATE_LIMITED && /retry after \d+ s/.test(e.message as string)));
    c.close();
  });

  it('counts a roster’s creators against the tier across the key’s sockets', async () => {
    const { key } = await gateway.keys.create('community'); // 3 creators at once
    const first = new RawClient(connectUrl(gateway, { apiKey: key, uniqueIds: 'limit_a,offline_limit_b' }));
    await first.until((x) => of(x, 'roomInfo', 'limit_a').length === 1 && liveStatuses(x, 'offline_limit_b').length === 1);
    const second = new RawClient(connectUrl(gateway, { apiKey: key, uniqueIds: 'limit_a,limit_c,limit_d' }));
    await second.until((x) => of(x, 'rosterInfo').length === 1 && of(x, 'error').length === 1);
    assert.deepEqual(of(second, 'rosterInfo')[0].data.creators, ['limit_a', 'limit_c'], 'the fourth creator of the key is refused');
    const [refused] = of(second, 'error');
    assert.equal(refused.data.code, CloseCode.RATE_LIMITED);
    assert.equal(refused.data.uniqueId, 'limit_d');
    assert.match(refused.data.message as string, /too many creators at once: tier community allows 3/);
    second.ws.send(JSON.stringify({ action: 'subscribe', uniqueId: 'limit_e', id: 'e' }));
    await second.until((x) => of(x, 'error').length === 2);
    assert.deepEqual([of(second, 'error')[1].data.code, of(second, 'error')[1].data.id], [CloseCode.RATE_LIMITED, 'e']);
    // A creator that leaves keeps its slot for the upstream linger (30 s), as a closed socket's does: the refusal says when it frees.
    first.ws.send(JSON.stringify({ action: 'unsubscribe', uniqueId: 'offline_limit_b' }));
    await first.until((x) => of(x, 'unsubscribed').length === 1);
    second.ws.send(JSON.stringify({ action: 'subscribe', uniqueId: 'limit_e', id: 'e2' }));
    await second.until((x) => of(x, 'error').length === 3);
    const retry = Number(/retry after (\d+) s/.exec(of(second, 'error')[2].data.message as string)?.[1]);
    assert.ok(retry >= 1 && retry <= 30, `retry after ${retry} s`);
    first.close();
    second.close();
  });

  it('waits for live on a single socket with waitForLive=1, and again after the stream ends', async () => {
    const c = new RawClient(url({ uniqueId: 'offline_single_wait', waitForLive: 1 }));
    await c.until((x) => liveStatuses(x, 'offline_single_wait').length === 1);
    assert.equal(c.messages[0].event, 'liveStatus');
    assert.equal(c.messages[0].data.live, false);
    assert.ok(emulator.setLive('offline_single_wait', true));
    await c.until((x) => x.events('chat').length >= 2, 15_000);
    assert.deepEqual(
      c.messages.slice(0, 3).map((m) => m.event),
      ['liveStatus', 'liveStatus', 'roomInfo'],
    );
    assert.ok(emulator.setLive('offline_single_wait', false));
    await c.until((x) => liveStatuses(x, 'offline_single_wait').length === 3);
    assert.deepEqual(liveStatuses(c, 'offline_single_wait'), [false, true, false]);
    assert.equal(c.ws.readyState, c.ws.OPEN);
    c.close();
  });

  it('keeps 4404 and 4005 for a single socket without waitForLive', async () => {
    const offline = new RawClient(url({ uniqueId: 'offline_single_close' }));
    assert.equal((await offline.closed).code, CloseCode.NOT_FOUND);
    const ending = new RawClient(url({ uniqueId: 'single_close_end' }));
    await ending.until((x) => x.events().length >= 1);
    emulator.endStream('single_close_end');
    assert.equal((await ending.closed).code, CloseCode.STREAM_END);
    assert.equal(ending.events().at(-1)?.event, 'streamEnd');
  });

  it('resumes every creator of a roster exactly once after a TCP cut', async () => {
    const creators = ['cut_a', 'cut_b', 'cut_c', 'offline_cut_d'];
    const proxy = await TcpProxy.start(gateway.port);
    // Keeps the creators' upstreams (and their events) going while the roster is away.
    const stays = new RawClient(url({ uniqueIds: roster(creators) }));
    const viaProxy = (params: Record<string, string | number>) =>
      `ws://127.0.0.1:${proxy.port}/?${new URLSearchParams(Object.entries({ apiKey: TEST_KEY, ...params }).map(([k, v]) => [k, String(v)]))}`;
    const first = new RawClient(viaProxy({ uniqueIds: roster(creators) }));
    const live = creators.slice(0, 3);
    await first.until((x) => live.every((u) => eventsOf(x, u).length >= 5) && liveStatuses(x, 'offline_cut_d').length === 1);
    proxy.cutAll();
    await first.closed;
    const sessionId = of(first, 'rosterInfo')[0].data.sessionId as string;
    const lastSeqs = new Map(live.map((u) => [u, eventsOf(first, u).at(-1)!.seq!]));
    // Events keep coming while the client is away.
    await stays.until((x) => live.every((u) => (eventsOf(x, u).at(-1)?.seq ?? 0) >= lastSeqs.get(u)! + 10));

    const second = new RawClient(
      viaProxy({ uniqueIds: '', sessionId, lastSeqs: [...lastSeqs].map(([u, seq]) => `${u}:${seq}`).join(',') }),
    );
    await second.until((x) => live.every((u) => eventsOf(x, u).length >= 15) && liveStatuses(x, 'offline_cut_d').length === 1);
    const info = of(second, 'rosterInfo')[0].data;
    assert.deepEqual([info.sessionId, info.resumed, info.creators], [sessionId, true, creators], 'the roster is restored from the session');
    for (const u of live) {
      const room = of(second, 'roomInfo', u)[0].data;
      assert.deepEqual([room.resumed, room.recovered], [true, true], u);
      assert.ok((room.replayed as number) >= 10, `${u} replayed ${room.replayed}`);
      const seqs = [...eventsOf(first, u), ...eventsOf(second, u)].map((e) => e.seq!);
      assert.equal(seqs[0], eventsOf(first, u)[0].seq);
      assertGapless(seqs, `${u} across the cut`);
    }
    second.close();
    stays.close();
    await proxy.close();
  });
});

describe('waiting creators are checked once per interval, however many sockets wait', () => {
  const INTERVAL_MS = 400;
  let gateway: Gateway;
  let emulator: Emulator;
  before(async () => {
    // The default check budget (600 a minute) is far less than 51 creators every 400 ms ask:
    // checks wait their turn for a slot, none fails, and each creator gets its share.
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 1, liveCheckMs: INTERVAL_MS }));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('200 roster sockets on the same 50 offline creators check each creator as often as one socket does', async () => {
    const creators = Array.from({ length: 50 }, (_, i) => `offline_many_${i}`);
    const lookups = () => emulator.stats().lookups;
    // The reference: a creator one socket waits for.
    const control = new RawClient(connectUrl(gateway, { apiKey: TEST_KEY, uniqueIds: 'offline_many_control' }));
    const sockets = Array.from(
      { length: 200 },
      () => new RawClient(connectUrl(gateway, { apiKey: TEST_KEY, uniqueIds: roster(creators) })),
    );
    await Promise.all(sockets.map((s) => s.until((x) => of(x, 'liveStatus').length === creators.length, 60_000)));
    await control.until((x) => of(x, 'liveStatus').length === 1);

    const before = lookups();
    const since = (u: string) => (lookups()[u] ?? 0) - (before[u] ?? 0);
    await control.until(() => since('offline_many_control') >= 4, 30_000);
    const rounds = since('offline_many_control');
    const perCreator = creators.map(since);
    const total = perCreator.reduce((a, b) => a + b, 0);
    // Jitter moves checks by a tenth of an interval either way; 200 sockets each checking would be 200 times more.
    assert.ok(Math.max(...perCreator) <= rounds + 2, `per creator ${perCreator.join(',')} vs ${rounds} for one socket`);
    assert.ok(total <= creators.length * (rounds + 1), `${total} lookups in ${rounds} intervals for ${creators.length} creators`);
    for (const s of [control, ...sockets]) s.close();
  });
});
