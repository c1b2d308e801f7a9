import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '@tiktool/emulator';
import { CREATOR_EVENT_NAMES, TikTokLive, TikTokLiveError, type CreatorEnvelope, type Creators, type ResumedEvent } from '@tiktool/live';
import { waitFor } from '@tiktool/testkit';
import type { Gateway } from '../src/index.js';
import { TEST_KEY, startEmulatedGateway } from './helpers.js';
import { TcpProxy } from './tcp-proxy.js';

/** Quick reconnects keep the tests short; nothing asserts their speed. */
const FAST_RECONNECT = { baseDelayMs: 20, maxDelayMs: 100 };
/** How often the gateway checks waiting creators here: short, so going live shows soon. */
const LIVE_CHECK_MS = 150;
const WAIT = { timeoutMs: 15_000 };

/** Every creator event a client delivers, in order. */
function recordEvents(client: TikTokLive<Creators>): CreatorEnvelope[] {
  const seen: CreatorEnvelope[] = [];
  for (const name of CREATOR_EVENT_NAMES) client.on(name, (_data: unknown, envelope: CreatorEnvelope) => seen.push(envelope));
  return seen;
}

function pick(error: Error): { code: unknown; closeCode: unknown } {
  const { code, closeCode } = error as TikTokLiveError;
  return { code, closeCode };
}

function of(events: CreatorEnvelope[], uniqueId: string): CreatorEnvelope[] {
  return events.filter((e) => e.uniqueId === uniqueId);
}

/** Each creator's seqs are gapless and increasing: every event once, in order. */
function assertExactlyOnce(events: CreatorEnvelope[], uniqueId: string): void {
  const seqs = of(events, uniqueId).map((e) => e.seq);
  assert.ok(seqs.length > 0, `events of ${uniqueId}`);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1]! + 1, `${uniqueId}: seq ${seqs[i]} after ${seqs[i - 1]}`);
}

describe('a roster through the SDK, the gateway and the emulator', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  before(async () => {
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 40, liveCheckMs: LIVE_CHECK_MS }));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('tags events by creator, waits for one not live, and follows it when it goes live; subscribe and unsubscribe change the roster', async () => {
    const client = new TikTokLive(['sdk_ann', '@SDK_Ben', 'offline_sdk_cy'], {
      apiKey: TEST_KEY,
      url: gateway.wsUrl,
      reconnect: FAST_RECONNECT,
    });
    const events = recordEvents(client);
    const statuses: string[] = [];
    client.on('liveStatus', (s) => statuses.push(`${s.uniqueId}:${s.live}`));
    try {
      const info = await client.connect();
      assert.deepEqual(info.creators, ['sdk_ann', 'sdk_ben', 'offline_sdk_cy']);
      await waitFor(() => of(events, 'sdk_ann').length >= 5 && of(events, 'sdk_ben').length >= 5, { ...WAIT, what: 'events of both' });
      await waitFor(() => statuses.includes('offline_sdk_cy:false'), { ...WAIT, what: 'offline_sdk_cy waiting' });
      assert.equal(client.creator('offline_sdk_cy')?.live, false);
      assert.equal(of(events, 'offline_sdk_cy').length, 0);

      emulator.setLive('offline_sdk_cy', true);
      await waitFor(() => of(events, 'offline_sdk_cy').length >= 3, { ...WAIT, what: 'events of offline_sdk_cy once live' });
      assert.ok(statuses.includes('offline_sdk_cy:true'));
      assert.equal(client.creator('offline_sdk_cy')?.live, true);

      assert.deepEqual(await client.subscribe('sdk_dee'), ['sdk_ann', 'sdk_ben', 'offline_sdk_cy', 'sdk_dee']);
      await waitFor(() => of(events, 'sdk_dee').length >= 3, { ...WAIT, what: 'events of sdk_dee' });
      // The gateway takes the name, then finds TikTok has no such user: it leaves the roster.
      const refused = new Promise<Error>((resolve) => client.once('error', resolve));
      assert.ok((await client.subscribe('missing_sdk_eve')).includes('missing_sdk_eve'));
      assert.ok((await refused) instanceof TikTokLiveError);
      assert.deepEqual(pick(await refused), { code: 'ERR_REFUSED', closeCode: 4404 });
      assert.deepEqual(client.creators, ['sdk_ann', 'sdk_ben', 'offline_sdk_cy', 'sdk_dee']);
      await assert.rejects(client.subscribe('not a name'), { code: 'ERR_INVALID_ARGUMENT' });

      assert.deepEqual(await client.unsubscribe('sdk_ann'), ['sdk_ben', 'offline_sdk_cy', 'sdk_dee']);
      const annEvents = of(events, 'sdk_ann').length;
      const benEvents = of(events, 'sdk_ben').length;
      await waitFor(() => of(events, 'sdk_ben').length >= benEvents + 20, { ...WAIT, what: 'more events of sdk_ben' });
      assert.equal(of(events, 'sdk_ann').length, annEvents, 'nothing of sdk_ann after unsubscribing');
      for (const id of ['sdk_ann', 'sdk_ben', 'offline_sdk_cy', 'sdk_dee']) assertExactlyOnce(events, id);
    } finally {
      client.disconnect();
    }
  });

  it('resumes every creator after a TCP cut: each gets its missed events exactly once', async () => {
    const proxy = await TcpProxy.start(gateway.port);
    const client = new TikTokLive(['sdk_res_a', 'sdk_res_b', 'offline_sdk_res_c'], {
      apiKey: TEST_KEY,
      url: `ws://127.0.0.1:${proxy.port}`,
      reconnect: FAST_RECONNECT,
    });
    const events = recordEvents(client);
    const resumed: ResumedEvent[] = [];
    client.on('resumed', (r) => resumed.push(r));
    try {
      await client.connect();
      await client.subscribe('sdk_res_d');
      await waitFor(() => ['sdk_res_a', 'sdk_res_b', 'sdk_res_d'].every((id) => of(events, id).length >= 10), {
        ...WAIT,
        what: 'events of the live creators',
      });
      const before = events.length;
      assert.ok(proxy.cutAll() > 0);
      await waitFor(() => resumed.length === 3 && events.length >= before + 60, { ...WAIT, what: 'resumed and more events' });
      assert.deepEqual(resumed.map((r) => r.uniqueId).sort(), ['sdk_res_a', 'sdk_res_b', 'sdk_res_d']);
      for (const r of resumed) assert.equal(r.recovered, true, `${r.uniqueId} recovered`);
      for (const id of ['sdk_res_a', 'sdk_res_b', 'sdk_res_d']) assertExactlyOnce(events, id);
      assert.equal(client.creator('offline_sdk_res_c')?.live, false);
    } finally {
      client.disconnect();
      await proxy.close();
    }
  });

  it('waitForLive: a single client waits, connects when the creator goes live, and waits again after its LIVE ends', async () => {
    const client = new TikTokLive('offline_sdk_wes', {
      apiKey: TEST_KEY,
      url: gateway.wsUrl,
      waitForLive: true,
      reconnect: FAST_RECONNECT,
    });
    const events = recordEvents(client);
    const lifecycle: string[] = [];
    client.on('liveStatus', (s) => lifecycle.push(`live:${s.live}`));
    client.on('connected', () => lifecycle.push('connected'));
    client.on('disconnected', (d) => lifecycle.push(`disconnected:${d.code}`));
    try {
      const connected = client.connect();
      await waitFor(() => client.state === 'waiting', { ...WAIT, what: 'waiting' });
      emulator.setLive('offline_sdk_wes', true);
      const info = await connected;
      assert.equal(info.uniqueId, 'offline_sdk_wes');
      await waitFor(() => events.length >= 3, { ...WAIT, what: 'events once live' });

      emulator.endStream('offline_sdk_wes');
      await waitFor(() => client.state === 'waiting', { ...WAIT, what: 'waiting again' });
      assert.equal(events.at(-1)?.event, 'streamEnd');
      emulator.setLive('offline_sdk_wes', true);
      await waitFor(() => lifecycle.filter((l) => l === 'connected').length === 2, { ...WAIT, what: 'live again' });
      assert.deepEqual(lifecycle.slice(0, 3), ['live:false', 'live:true', 'connected']);
      assert.ok(!lifecycle.some((l) => l.startsWith('disconnected')), 'the socket stayed open');
    } finally {
      client.disconnect();
    }
  });
});
