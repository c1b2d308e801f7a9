import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { CloseCode } from '@tiktool/protocol';
import { waitFor } from '@tiktool/testkit';
import { Cluster } from 'ioredis';
import { creatorKeys, limiterKeys } from '../src/cluster/keys.js';
import { connectRedis, whenReady, type ClusterRedis } from '../src/cluster/redis-connection.js';
import { RedisLimiter } from '../src/cluster/redis-limiter.js';
import { parseRedisTarget } from '../src/cluster/redis-target.js';
import { UpstreamLease } from '../src/cluster/upstream-lease.js';
import { loadConfig } from '../src/config.js';
import { type GatewayProcess, startHosts } from './gateway-process.js';
import { RawClient, TEST_KEY } from './helpers.js';
import { PostgresServer } from './postgres-server.js';
import { RedisClusterServer } from './redis-cluster-server.js';

const ADMIN_TOKEN = 'admin-token-for-the-redis-cluster-tests-0123456789';

function client(node: GatewayProcess, params: Record<string, string | number>): RawClient {
  return new RawClient(`${node.url}/?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
}

const seqs = (c: RawClient) => c.events().map((e) => e.seq!);

function assertContiguous(got: number[], who: string): void {
  for (let i = 1; i < got.length; i++) assert.equal(got[i], got[i - 1] + 1, `${who}: gapless and in order at ${i}`);
}

/** The port of the master serving a key's slot, from the cluster's own slot map. */
async function masterOf(redis: ClusterRedis, key: string): Promise<number> {
  const slot = Number(await redis.cluster('KEYSLOT', key));
  const range = (await redis.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to);
  assert.ok(range?.[2], `slot ${slot} is served`);
  return range[2][1];
}

describe('REDIS_URL naming a Redis Cluster', () => {
  it('takes redis+cluster:// seed nodes, with credentials and TLS', () => {
    assert.deepEqual(parseRedisTarget('rediss+cluster://app:p%40ss@10.0.0.1:7000,10.0.0.2,[::1]:7002'), {
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 6379 },
        { host: '::1', port: 7002 },
      ],
      tls: true,
      username: 'app',
      password: 'p@ss',
    });
    assert.deepEqual(parseRedisTarget('redis://redis:6379'), { kind: 'standalone', url: 'redis://redis:6379' });
  });

  it('refuses a malformed cluster URL at start, saying the form', () => {
    for (const url of ['redis+cluster://', 'redis+cluster://h1:7000,h2:99999', 'redis+cluster://h1:7000/0']) {
      assert.throws(() => loadConfig({ REDIS_URL: url }), /REDIS_URL: .*(redis\+cluster:\/\/|host:port)/, url);
    }
  });
});

describe('cluster stores on a 3-master Redis Cluster', () => {
  let cluster: RedisClusterServer;
  let redis: ClusterRedis;
  before(async () => {
    cluster = await RedisClusterServer.start();
    redis = connectRedis(cluster.url, 'redis-cluster-test');
    await whenReady(redis, 10_000);
  });
  after(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  it('connects with ioredis Cluster, which sees every master', async () => {
    assert.ok(redis instanceof Cluster);
    assert.equal((redis as Cluster).nodes('master').length, 3);
  });

  it('a lapsed lease retaken at once by its renewal and by a fenced write stays with its node', async () => {
    // As after a master came back empty: both the renewal timer and the next append find the lease gone.
    const lease = new UpstreamLease(redis, creatorKeys('rc_lease').owner, 30_000);
    assert.deepEqual(await Promise.all([lease.take(), lease.take()]), [true, true]);
    assert.equal(await new UpstreamLease(redis, creatorKeys('rc_lease').owner, 30_000).take(), false, 'another node does not get it');
  });

  it("keeps renewing sockets of keys on different masters: a node's sockets keep counting past the lease TTL", async () => {
    // Two API keys whose limiter keys lie on different masters (owner names fixed; slots are CRC16 of the hash tag).
    const owners = ['renew_a', 'renew_b', 'renew_c', 'renew_d'];
    const masters = await Promise.all(owners.map((o) => masterOf(redis, limiterKeys(o).sockets)));
    assert.ok(new Set(masters).size > 1, `owners on several masters: ${masters}`);
    let now = Date.now();
    const leaseTtlMs = 300;
    const limiter = new RedisLimiter(redis, leaseTtlMs, () => now);
    try {
      for (const owner of owners) {
        const a = await limiter.admit({
          owner,
          token: undefined,
          uniqueId: 'creator_a',
          maxSockets: 3,
          maxCreators: 3,
          connectsPerHour: 60,
          countConnect: true,
          creatorLingerMs: 0,
        });
        assert.ok(a.ok);
      }
      // Past the first lease's expiry: only a renewal (every third of the TTL) keeps each socket counted.
      now += 2 * leaseTtlMs;
      await waitFor(async () => (await Promise.all(owners.map((o) => limiter.usage(o)))).every((u) => u.sockets === 1), {
        what: 'every key to count its one socket after the renewal',
      });
    } finally {
      await limiter.close();
    }
    assert.deepEqual(
      await Promise.all(owners.map(async (o) => (await limiter.usage(o)).sockets)),
      [0, 0, 0, 0],
      'close released the leases of every key, on every master',
    );
  });
});

describe('two gateway nodes on a Redis Cluster, sharing nothing else but Postgres', () => {
  let postgres: PostgresServer;
  let cluster: RedisClusterServer;
  let emulator: Emulator;
  let redis: ClusterRedis;
  let a: GatewayProcess;
  let b: GatewayProcess;

  before(async () => {
    [postgres, cluster, emulator] = await Promise.all([PostgresServer.start(), RedisClusterServer.start(), startEmulator({ rate: 100 })]);
    redis = connectRedis(cluster.url, 'redis-cluster-test');
    await whenReady(redis, 10_000);
    // Each host has its own data directory; only Postgres and Redis are shared.
    [a, b] = await startHosts({
      databaseUrl: await postgres.createDatabase(),
      redisUrl: cluster.url,
      emulatorUrl: emulator.url,
      env: {
        TIKTOOL_BOOTSTRAP_KEY: TEST_KEY,
        TIKTOOL_ADMIN_TOKEN: ADMIN_TOKEN,
      },
    });
  });

  after(async () => {
    await Promise.all([a, b].map((n) => n?.kill('SIGTERM')));
    redis?.disconnect();
    await emulator?.close();
    await cluster?.stop();
    await postgres?.stop();
  });

  it("events of one creator reach clients on both nodes, the same event at the same seq, over the creator's shard channel", async () => {
    const onA = client(a, { uniqueId: 'rc_both', apiKey: TEST_KEY });
    await onA.until((x) => x.events().length >= 5);
    const onB = client(b, { uniqueId: 'rc_both', apiKey: TEST_KEY });
    await onB.until((x) => x.events().length >= 20);
    const lastOnB = seqs(onB).at(-1)!;
    await onA.until((x) => seqs(x).includes(lastOnB));
    assertContiguous(seqs(onA), 'node A');
    assertContiguous(seqs(onB), 'node B');
    const onASeq = new Map(onA.events().map((e) => [e.seq, JSON.stringify(e.data)]));
    const both = onB.events().filter((e) => onASeq.has(e.seq));
    assert.ok(both.length >= 15, `seqs ${seqs(onA)[0]}.. on A and ${seqs(onB)[0]}.. on B overlap`);
    for (const e of both) assert.equal(JSON.stringify(e.data), onASeq.get(e.seq), `seq ${e.seq} is one event on both nodes`);
    // Sharded pub/sub: both nodes subscribe on the master of the creator's slot, nobody by plain SUBSCRIBE.
    const channel = creatorKeys('rc_both').channel;
    const counts = await Promise.all(
      (redis as Cluster).nodes('master').map(async (n) => ({
        port: n.options.port,
        sharded: Number(((await n.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number])[1]),
        plain: Number(((await n.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1]),
      })),
    );
    const slotMaster = await masterOf(redis, channel);
    assert.deepEqual(
      counts.map((c) => [c.port, c.sharded, c.plain]),
      counts.map((c) => [c.port, c.port === slotMaster ? 2 : 0, 0]),
    );
    onA.close();
    onB.close();
  });

  it('a session opened on A resumes on B with recovered: true, no gap or duplicate', async () => {
    const first = client(a, { uniqueId: 'rc_resume', apiKey: TEST_KEY });
    await first.until((x) => x.events().length >= 20);
    first.close();
    await first.closed;
    const lastSeq = seqs(first).at(-1)!;
    const sessionId = first.roomInfo!.data.sessionId as string;
    const second = client(b, { uniqueId: 'rc_resume', apiKey: TEST_KEY, sessionId, lastSeq });
    await second.until((x) => x.roomInfo !== undefined);
    assert.equal(second.roomInfo!.data.sessionId, sessionId);
    assert.equal(second.roomInfo!.data.recovered, true);
    await second.until((x) => x.events().length >= 20);
    const resumed = seqs(second);
    assert.equal(resumed[0], lastSeq + 1);
    assertContiguous(resumed, 'resumed on B');
    second.close();
  });

  it("a community key's 3 sockets hold across both nodes: the fourth is refused with 4429", async () => {
    const res = await fetch(`http://127.0.0.1:${a.port}/v1/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tier: 'community' }),
    });
    assert.equal(res.status, 201);
    const { key } = (await res.json()) as { key: string };
    const url = { uniqueId: 'rc_limit', apiKey: key };
    const held = [client(a, url), client(b, url), client(b, url)];
    for (const c of held) await c.until((x) => x.roomInfo !== undefined);
    const fourth = client(a, url);
    const closed = await fourth.closed;
    assert.equal(closed.code, CloseCode.RATE_LIMITED);
    assert.match(closed.reason, /tier community allows 3/);
    for (const c of held) c.close();
  });
  // Last: it takes a master away. Cluster-wide the cluster is down (no replica takes over), then back empty.
  it("a master that crashes and comes back empty: the owner's clients keep streaming, then resume in a new epoch", async () => {
    const uniqueId = 'rc_master';
    const port = await masterOf(redis, creatorKeys(uniqueId).log);
    const watcher = client(a, { uniqueId, apiKey: TEST_KEY });
    let closedWith: number | undefined;
    void watcher.closed.then((c) => (closedWith = c.code));
    await watcher.until((x) => x.events().length >= 10);
    await cluster.kill(port);
    const before = watcher.events().length;
    await watcher.until((x) => x.events().length >= before + 20, 20_000);
    assertContiguous(seqs(watcher), 'served from memory while the master is down');
    await cluster.revive(port);
    await waitFor(() => closedWith !== undefined, { timeoutMs: 20_000, what: 'the owner to restart the stream history' });
    assert.equal(closedWith, CloseCode.SERVICE_RESTART);
    const again = client(b, {
      uniqueId,
      apiKey: TEST_KEY,
      sessionId: watcher.roomInfo!.data.sessionId as string,
      lastSeq: seqs(watcher).at(-1)!,
    });
    await again.until((x) => x.events().length >= 10, 20_000);
    assert.equal(again.roomInfo!.data.recovered, false);
    assertContiguous(seqs(again), 'after the master came back');
    again.close();
  });
});
