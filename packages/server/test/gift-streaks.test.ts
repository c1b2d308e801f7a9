import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TikTokLive, type GiftData } from '@tiktool/live';
import type { Emulator } from '@tiktool/emulator';
import type { Gateway } from '../src/index.js';
import { waitFor } from '@tiktool/testkit';
import { RawClient, TEST_KEY, connectUrl, startEmulatedGateway } from './helpers.js';
import { TcpProxy } from './tcp-proxy.js';

const streakKey = (g: GiftData) => `${g.user.userId}:${g.giftId}:${g.groupId}`;

/** What each gift (streak or single) should amount to, from every message of a gifts=all client. */
function expectedTotals(all: GiftData[]): Map<string, { repeatCount: number; totalDiamondCount: number; ends: number }> {
  const totals = new Map<string, { repeatCount: number; totalDiamondCount: number; ends: number }>();
  for (const g of all) {
    const t = totals.get(streakKey(g)) ?? { repeatCount: 0, totalDiamondCount: 0, ends: 0 };
    t.repeatCount = Math.max(t.repeatCount, g.repeatCount);
    t.totalDiamondCount = g.diamondCount * t.repeatCount;
    if (g.repeatEnd) t.ends++;
    totals.set(streakKey(g), t);
  }
  return totals;
}

describe('gifts=final: each gift streak once, with its totals', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  let proxy: TcpProxy;
  before(async () => {
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 0 }));
    proxy = await TcpProxy.start(gateway.port);
  });
  after(async () => {
    await proxy.close();
    await gateway.close();
    await emulator.close();
  });

  it('across client TCP cuts and an upstream drop, every streak arrives exactly once, unfinished ones closed at the end', async () => {
    const uniqueId = 'streaks_final';
    const reference = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
    const client = new TikTokLive(uniqueId, {
      apiKey: TEST_KEY,
      url: `ws://127.0.0.1:${proxy.port}`,
      gifts: 'final',
      reconnect: { baseDelayMs: 10, maxDelayMs: 50 },
    });
    const gifts: GiftData[] = [];
    const seqs: number[] = [];
    let ended = false;
    client.on('gift', (g, e) => {
      gifts.push(g);
      seqs.push(e.seq);
    });
    client.on('streamEnd', () => {
      ended = true;
    });
    await client.connect();
    await reference.until((c) => c.roomInfo !== undefined);

    const emitted = () => reference.events().length;
    const step = async (n: number) => {
      const target = emitted() + n;
      emulator.emit(uniqueId, n);
      await reference.until(() => emitted() >= target, 15_000);
    };
    await step(120);
    proxy.cutAll();
    await step(120);
    emulator.drop(uniqueId);
    await step(120);
    proxy.cutAll();
    await step(120);
    // End while a streak is still growing, so that its end never arrives.
    const openStreaks = () =>
      [...expectedTotals(reference.events('gift').map((e) => e.data as unknown as GiftData)).values()].filter((t) => t.ends === 0);
    for (let i = 0; i < 200 && openStreaks().length === 0; i++) await step(1);
    assert.ok(openStreaks().length > 0, 'a streak is open when the LIVE ends');
    // The end closes every socket: the client must be back and caught up to see it.
    const shown = reference.events().filter((e) => e.event !== 'gift' || e.data.repeatEnd === true);
    const lastShown = shown[shown.length - 1].seq!;
    await waitFor(() => client.state === 'open' && (client.lastSeq ?? 0) >= lastShown, {
      timeoutMs: 15_000,
      what: 'the client to catch up',
    });
    emulator.endStream(uniqueId);
    await reference.closed;
    await waitFor(() => ended, { timeoutMs: 15_000, what: 'streamEnd on the gifts=final client' });
    client.disconnect();

    const all = reference.events('gift').map((e) => e.data as unknown as GiftData);
    const totals = expectedTotals(all);
    assert.ok(
      all.some((g) => !g.repeatEnd),
      'the script has streaks in progress',
    );
    for (const [key, t] of totals) assert.equal(t.ends, 1, `one end per streak in the full stream (${key})`);

    assert.ok(
      gifts.every((g) => g.repeatEnd),
      'no streak progress is delivered',
    );
    const keys = gifts.map(streakKey);
    assert.equal(new Set(keys).size, keys.length, 'no streak twice');
    assert.deepEqual([...keys].sort(), [...totals.keys()].sort(), 'every streak and single gift once');
    for (const g of gifts) {
      const t = totals.get(streakKey(g))!;
      assert.equal(g.repeatCount, t.repeatCount, `streak total count of ${streakKey(g)}`);
      assert.equal(g.totalDiamondCount, t.totalDiamondCount, `streak total diamonds of ${streakKey(g)}`);
    }
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], 'in stream order');
    const closedByGateway = gifts.filter((g) => g.streakTimedOut);
    assert.ok(closedByGateway.length > 0, 'streaks still open at the end are closed and marked');
    assert.ok(closedByGateway.every((g) => g.giftType === 1));
    assert.ok(proxy.connections >= 3, `the client reconnected through the proxy (${proxy.connections})`);
  });
});
