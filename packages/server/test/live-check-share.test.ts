import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { waitFor } from '@tiktool/testkit';
import { createWebcastUpstream, type WebcastUpstream } from '@tiktool/webcast';
import { ChannelRouter } from '../src/cluster/channel-router.js';
import { RedisLiveCheckShare } from '../src/cluster/live-check-lease.js';
import { connectRedis, whenReady, type ClusterRedis } from '../src/cluster/redis-connection.js';
import { LIVE_CHECK_JITTER } from '../src/defaults.js';
import type { LiveCheckShare } from '../src/live/live-check-share.js';
import { LiveChecker } from '../src/live/live-checker.js';
import { LiveLookups } from '../src/live/live-lookups.js';
import type { LiveStatus } from '../src/live/live-status.js';
import { MemoryLiveCheckShare } from '../src/live/memory-live-check-share.js';
import { RedisServer } from './cluster-harness.js';

const NODES = 3;

/** Three nodes' shares (one share in memory, or three Redis connections to one server). */
interface Shares {
  shares: LiveCheckShare[];
  close(): Promise<void>;
}

/** A node: its own lookups (as its own process would have) and a checker over the share. */
interface Node {
  checker: LiveChecker;
  heard: LiveStatus[];
}

/**
 * One contract for both implementations of LiveCheckShare: however many checkers (nodes)
 * watch a creator, it is checked once per interval in total and every node hears it.
 */
function liveCheckShareContract(name: string, open: () => Promise<Shares>): void {
  describe(`live check share contract: ${name}`, () => {
    let emulator: Emulator;
    let upstream: WebcastUpstream;
    let opened: Shares;
    let nodes: Node[] = [];
    const lookupsOf = (u: string) => emulator.stats().lookups[u] ?? 0;
    const start = (intervalMs: number) => {
      nodes = opened.shares.map((share) => ({
        checker: new LiveChecker(new LiveLookups(upstream), { intervalMs, share }),
        heard: [],
      }));
      return nodes;
    };
    const watchAll = (uniqueId: string) => {
      for (const n of nodes) n.checker.watch(uniqueId, (s) => n.heard.push(s));
    };
    const heardBy = (n: Node, live: boolean) => n.heard.some((s) => s.live === live);

    before(async () => {
      emulator = await startEmulator({ rate: 5 });
      upstream = createWebcastUpstream(emulator.upstreamOptions());
    });
    after(async () => {
      await upstream.close();
      await emulator.close();
    });

    it('three nodes watching one creator check it once per interval in total, and all hear each change', async () => {
      opened = await open();
      const intervalMs = 300;
      const creator = `offline_turns_${name.split(' ')[0]!.toLowerCase()}`;
      const startedAt = Date.now();
      try {
        start(intervalMs);
        watchAll(creator);
        await waitFor(() => nodes.every((n) => n.heard.length === 1), { what: 'every node hears the first status' });
        emulator.setLive(creator, true);
        await waitFor(() => nodes.every((n) => heardBy(n, true)), { what: 'every node hears live: true' });
        emulator.setLive(creator, false);
        await waitFor(() => nodes.every((n) => n.heard.at(-1)?.live === false && n.heard.length === 3), {
          what: 'every node hears live: false',
        });
        await waitFor(() => lookupsOf(creator) >= 10, { what: 'ten checks' });
      } finally {
        for (const n of nodes) n.checker.close();
        await opened.close();
      }
      const checks = lookupsOf(creator);
      const elapsed = Date.now() - startedAt;
      // One node's claim holds the others off for the shortest interval the jitter allows.
      const most = Math.floor(elapsed / (intervalMs * (1 - LIVE_CHECK_JITTER))) + 1;
      assert.ok(checks <= most, `${checks} checks in ${elapsed} ms: at most ${most}`);
    });

    it('a stream end one node hears reaches every node at once; a node that starts later hears the latest status', async () => {
      opened = await open();
      const creator = `live_turns_${name.split(' ')[0]!.toLowerCase()}`;
      try {
        const [first, ...others] = start(10 * 60_000);
        first!.checker.watch(creator, (s) => first!.heard.push(s));
        await waitFor(() => first!.heard.length === 1, { what: "the first node's first status" });
        for (const n of others) n.checker.watch(creator, (s) => n.heard.push(s));
        await waitFor(() => nodes.every((n) => heardBy(n, true)), { what: 'every node hears live: true' });
        assert.equal(lookupsOf(creator), 1, 'one check for the three nodes');
        others.at(-1)!.checker.ended(creator);
        await waitFor(() => nodes.every((n) => n.heard.length === 2), { what: 'every node hears the end' });
        for (const n of nodes) assert.deepEqual([n.heard[1]!.live, n.heard[1]!.reason], [false, 'stream ended']);
        assert.equal(lookupsOf(creator), 1);
      } finally {
        for (const n of nodes) n.checker.close();
        await opened.close();
      }
    });
  });
}

liveCheckShareContract('MemoryLiveCheckShare (three checkers on one node)', async () => {
  const share = new MemoryLiveCheckShare();
  return { shares: Array.from({ length: NODES }, () => share), close: async () => {} };
});

let redisServer: RedisServer | undefined;
liveCheckShareContract('RedisLiveCheckShare (three nodes on one redis-server)', async () => {
  redisServer ??= await RedisServer.start();
  const url = redisServer.url;
  const connections: ClusterRedis[] = [];
  const shares = await Promise.all(
    Array.from({ length: NODES }, async (_, i) => {
      const redis = connectRedis(url, `live-share-${i}`);
      const sub = connectRedis(url, `live-share-sub-${i}`);
      connections.push(redis, sub);
      await Promise.all([whenReady(redis, 10_000), whenReady(sub, 10_000)]);
      await redis.flushall();
      return new RedisLiveCheckShare(redis, new ChannelRouter(sub), 60_000);
    }),
  );
  return {
    shares,
    close: async () => {
      for (const c of connections) c.disconnect();
    },
  };
});

after(async () => {
  await redisServer?.stop();
});
