import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { waitFor } from '@tiktool/testkit';
import type { LiveStatus } from '../src/live/live-status.js';
import type { Gateway } from '../src/index.js';
import { RedisServer } from './cluster-harness.js';
import { connectUrl, RawClient, startTestGateway, TEST_KEY } from './helpers.js';

const MINUTE = 60_000;

describe('cluster mode: the live checker of three gateways on one Redis', () => {
  let redis: RedisServer;
  let emulator: Emulator;
  let nodes: Gateway[];
  const lookupsOf = (u: string) => emulator.stats().lookups[u] ?? 0;
  /** Every node watches the creator; what each heard. */
  const watchOnEvery = (uniqueId: string) =>
    nodes.map((node) => {
      const heard: LiveStatus[] = [];
      node.live.watch(uniqueId, (s) => heard.push(s));
      return heard;
    });
  before(async () => {
    redis = await RedisServer.start();
    emulator = await startEmulator({ rate: 20 });
    nodes = await Promise.all(
      [1, 2, 3].map(() =>
        startTestGateway({
          upstream: 'webcast',
          redisUrl: redis.url,
          webcast: emulator.upstreamOptions(),
          liveCheckMs: 10 * MINUTE,
          liveChecksPerMinute: 3,
        }),
      ),
    );
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await emulator.close();
    await redis.stop();
  });

  it('a creator three nodes watch is checked once, and every node hears it', async () => {
    const heard = watchOnEvery('offline_clustered');
    await waitFor(() => heard.every((h) => h.length === 1), { what: 'every node hears the first status' });
    assert.ok(heard.every((h) => h[0]!.live === false && h[0]!.exists));
    assert.equal(lookupsOf('offline_clustered'), 1);
  });

  it("a stream's end seen by the node serving it reaches the watchers of the others at once", async () => {
    const client = new RawClient(connectUrl(nodes[0]!, { uniqueId: 'live_clustered', apiKey: TEST_KEY }));
    await client.until((c) => c.roomInfo !== undefined);
    const heard = watchOnEvery('live_clustered');
    await waitFor(() => heard.every((h) => h.length === 1), { what: 'every node hears live: true' });
    assert.ok(heard.every((h) => h[0]!.live));
    emulator.setLive('live_clustered', false);
    await waitFor(() => heard.every((h) => h.length === 2), { what: 'every node hears the end' });
    assert.ok(heard.every((h) => h[1]!.reason === 'stream ended'));
    client.close();
  });

  it('the check budget is one for the cluster', async () => {
    // Two checks above were the budget's first two; the third node's creator takes the last.
    const third = watchOnEvery('offline_budget_a');
    await waitFor(() => third.every((h) => h.length === 1), { what: 'the third check' });
    // The fourth waits for the cluster's next free slot: no failure heard, no lookup made.
    const fourth: LiveStatus[] = [];
    nodes[1]!.live.watch('offline_budget_b', (s) => fourth.push(s));
    const budgetWaits = async () =>
      (await (await fetch(`${nodes[1]!.url}/metrics`)).text()).match(/tiktool_live_check_budget_waits_total (\d+)/)?.[1];
    await waitFor(async () => (await budgetWaits()) === '1', { what: 'the fourth check waiting for the budget' });
    assert.deepEqual(fourth, []);
    assert.equal(lookupsOf('offline_budget_b'), 0);
  });
});
