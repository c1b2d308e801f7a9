import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { CREATOR_EVENT_NAMES } from '@tiktool/protocol';
import { TikTokLive, type ResumedEvent } from '@tiktool/live';
import { KeyStore } from '../src/auth/key-store.js';
import { SqliteAccountStore } from '../src/accounts/sqlite-account-store.js';
import { LoadBalancer, RedisServer } from './cluster-harness.js';
import { GatewayProcess } from './gateway-process.js';
import { waitFor } from '@tiktool/testkit';
import { RawClient, TEST_KEY } from './helpers.js';

const LEASE_MS = 1500;

interface Got {
  seq: number;
  msgId: string;
}

/** An SDK client recording what its handlers were given. */
function watch(uniqueId: string, url: string, apiKey = TEST_KEY) {
  const client = new TikTokLive(uniqueId, { apiKey, url, reconnect: { baseDelayMs: 50, maxDelayMs: 500 } });
  const got: Got[] = [];
  const resumes: ResumedEvent[] = [];
  for (const name of CREATOR_EVENT_NAMES) client.on(name as 'chat', (d, e) => void got.push({ seq: e.seq, msgId: d.msgId }));
  client.on('resumed', (r) => void resumes.push(r));
  return { client, got, resumes };
}

/** Every event once, in order, with nothing TikTok emitted missing in between. */
function assertExactlyOnce(got: Got[], emitted: string[], who: string): void {
  for (let i = 1; i < got.length; i++) assert.equal(got[i].seq, got[i - 1].seq + 1, `${who}: seq gap or duplicate at ${i}`);
  const first = emitted.indexOf(got[0].msgId);
  assert.ok(first >= 0, `${who}: first event was emitted`);
  const positions = got.map((g) => emitted.indexOf(g.msgId));
  const bad = positions.findIndex((p, i) => p !== first + i);
  assert.equal(bad, -1, `${who}: event ${bad} is emitted message ${positions[bad]}, expected ${first + bad}`);
}

describe('cluster mode: three gateway nodes on one Redis', () => {
  let redis: RedisServer;
  let emulator: Emulator;
  let nodes: GatewayProcess[];
  let communityKey: string;
  let tokenKey: string;

  before(async () => {
    redis = await RedisServer.start();
    emulator = await startEmulator({ rate: 100 });
    const dbPath = join(mkdtempSync(join(tmpdir(), 'tiktool-cluster-')), 'keys.sqlite');
    const store = SqliteAccountStore.open(dbPath);
    const keys = await KeyStore.open(store, { watch: false });
    communityKey = (await keys.create('community', 'cluster test')).key;
    tokenKey = (await keys.create('community', 'cluster token test')).key;
    await store.close();
    const env = {
      REDIS_URL: redis.url,
      TIKTOOL_UPSTREAM: 'webcast',
      TIKTOK_WEB_URL: emulator.url,
      TIKTOK_WEBCAST_URL: emulator.url,
      SIGN_API_URL: emulator.url,
      TIKTOOL_DB: dbPath,
      TIKTOOL_BOOTSTRAP_KEY: TEST_KEY,
      TIKTOOL_UPSTREAM_LEASE_MS: String(LEASE_MS),
    };
    nodes = [];
    for (let i = 0; i < 3; i++) nodes.push(await GatewayProcess.start(env));
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGTERM')));
    await emulator.close();
    await redis.stop();
  });

  it('30 clients spread over the nodes share exactly one upstream and see the same stream', async () => {
    const clients = Array.from({ length: 30 }, (_, i) => watch('cluster_one', nodes[i % 3].url));
    try {
      await Promise.all(clients.map((c) => c.client.connect()));
      await waitFor(() => clients.every((c) => c.got.length >= 20), { timeoutMs: 15_000, what: 'events on every client' });
      assert.equal(emulator.stats().rooms.cluster_one?.connections, 1, 'one push connection at the emulator');
      const bySeq = new Map<number, string>();
      for (const c of clients) {
        for (const g of c.got) {
          const seen = bySeq.get(g.seq);
          if (seen !== undefined) assert.equal(g.msgId, seen, `seq ${g.seq} is one event on every node`);
          else bySeq.set(g.seq, g.msgId);
        }
        assertExactlyOnce(c.got, emulator.emitted('cluster_one'), 'client');
      }
    } finally {
      for (const c of clients) c.client.disconnect();
    }
  });

  it("the first client of a creator gets the first fetch's messages, from seq 1, exactly once", async () => {
    const first = watch('cluster_first', nodes[1].url);
    try {
      await first.client.connect();
      await waitFor(() => first.got.length >= 20, { timeoutMs: 15_000, what: 'events on the first client' });
      const emitted = emulator.emitted('cluster_first');
      assert.deepEqual(first.got[0], { seq: 1, msgId: emitted[0] }, 'the first event TikTok delivered, as seq 1');
      assertExactlyOnce(first.got, emitted, 'first client');
    } finally {
      first.client.disconnect();
    }
  });

  it("roomInfo's viewerCount and likeCount are the latest roomUserSeq's and like's, on every node", async () => {
    const url = (node: GatewayProcess) => `${node.url}/?uniqueId=cluster_counts&apiKey=${TEST_KEY}`;
    const reader = new RawClient(url(nodes[0]));
    try {
      await reader.until((c) => c.events('roomUserSeq').length >= 2 && c.events('like').length >= 2, 15_000);
      for (const node of nodes) {
        const probe = new RawClient(url(node));
        await probe.until((c) => c.roomInfo !== undefined);
        probe.close();
        const info = probe.roomInfo!.data as { seq: number; viewerCount: number; likeCount: number };
        await reader.until((c) => c.events().some((e) => e.seq! >= info.seq), 15_000);
        const upTo = reader.events().filter((e) => e.seq! <= info.seq);
        const viewers = upTo.filter((e) => e.event === 'roomUserSeq').at(-1)!.data.viewerCount;
        const likes = upTo.filter((e) => e.event === 'like' && (e.data.totalLikes as number) > 0).at(-1)!.data.totalLikes;
        assert.equal(info.viewerCount, viewers, `viewerCount at seq ${info.seq}`);
        assert.equal(info.likeCount, likes, `likeCount at seq ${info.seq}`);
      }
    } finally {
      reader.close();
    }
  });

  it('a killed owner is replaced within the lease; no client loses or repeats an event', async (t) => {
    const lb = await LoadBalancer.start(nodes.map((n) => n.port));
    const clients = Array.from({ length: 9 }, () => watch('cluster_fail', lb.url));
    try {
      for (const c of clients) await c.client.connect();
      await waitFor(() => clients.every((c) => c.got.length >= 20), { timeoutMs: 15_000, what: 'events before the kill' });
      const owner = nodes.find((n) => n.owns('cluster_fail'));
      assert.ok(owner, 'one node owns the upstream');
      const killedAt = Date.now();
      const counts = clients.map((c) => c.got.length);
      await owner.kill('SIGKILL');
      nodes = nodes.filter((n) => n !== owner);
      await waitFor(() => nodes.some((n) => n.owns('cluster_fail')), { timeoutMs: LEASE_MS * 4, what: 'a takeover' });
      await waitFor(() => clients.every((c, i) => c.got.length > counts[i] + 30), { timeoutMs: 20_000, what: 'events after the takeover' });
      t.diagnostic(`takeover observed ${Date.now() - killedAt} ms after kill -9 (lease ${LEASE_MS} ms)`);

      const moved = clients.filter((c) => c.resumes.length > 0);
      assert.ok(moved.length >= 1 && moved.length < clients.length, `${moved.length} clients had to move`);
      for (const c of moved)
        assert.ok(
          c.resumes.every((r) => r.recovered),
          'moved clients resumed with recovered=true',
        );
      const emitted = emulator.emitted('cluster_fail');
      for (const c of clients) assertExactlyOnce(c.got, emitted, c.resumes.length > 0 ? 'moved client' : 'surviving client');
      assert.equal(emulator.stats().rooms.cluster_fail?.connections, 1, 'still one push connection');
    } finally {
      for (const c of clients) c.client.disconnect();
      await lb.close();
    }
  });

  it("holds a community key's limit of 3 sockets across nodes", async () => {
    const held = nodes.slice(0, 2).flatMap((n) => [watch('cluster_lim', n.url, communityKey)]);
    held.push(watch('cluster_lim', nodes[0].url, communityKey));
    try {
      for (const c of held) await c.client.connect();
      const fourth = new TikTokLive('cluster_lim', { apiKey: communityKey, url: nodes[1].url, reconnect: false });
      await assert.rejects(fourth.connect(), (err: { closeCode?: number; reason?: string }) => {
        assert.equal(err.closeCode, 4429);
        assert.match(err.reason ?? '', /tier community allows 3/);
        return true;
      });
    } finally {
      for (const c of held) c.client.disconnect();
    }
  });

  it("holds a community key's 3 sockets across its scoped tokens on every node", async () => {
    const tokens: string[] = [];
    const at = (i: number) => nodes[i % nodes.length];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`http://127.0.0.1:${at(i).port}/v1/jwt`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokenKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ creators: ['cluster_tok'], maxSockets: 3 }),
      });
      assert.equal(res.status, 201);
      tokens.push(((await res.json()) as { token: string }).token);
    }
    const held = tokens.map((jwtKey, i) => new TikTokLive('cluster_tok', { jwtKey, url: at(i).url, reconnect: false }));
    try {
      for (const c of held) await c.connect();
      for (let i = 0; i < 3; i++) {
        const more = new TikTokLive('cluster_tok', { jwtKey: tokens[(i + 1) % 3], url: at(i).url, reconnect: false });
        await assert.rejects(more.connect(), (err: { closeCode?: number; reason?: string }) => {
          assert.equal(err.closeCode, 4429);
          assert.match(err.reason ?? '', /tier community allows 3/);
          return true;
        });
      }
    } finally {
      for (const c of held) c.disconnect();
    }
  });

  it('a node stopped with SIGTERM hands its upstream over; its clients resume elsewhere with nothing lost', async () => {
    const lb = await LoadBalancer.start(nodes.map((n) => n.port));
    const clients = Array.from({ length: 4 }, () => watch('cluster_term', lb.url));
    try {
      for (const c of clients) await c.client.connect();
      await waitFor(() => clients.every((c) => c.got.length >= 20), { timeoutMs: 15_000, what: 'events before the stop' });
      const owner = nodes.find((n) => n.owns('cluster_term'));
      assert.ok(owner, 'one node owns the upstream');
      const counts = clients.map((c) => c.got.length);
      await owner.kill('SIGTERM');
      nodes = nodes.filter((n) => n !== owner);
      await waitFor(() => clients.every((c, i) => c.got.length > counts[i] + 30), { timeoutMs: 20_000, what: 'events after the handover' });
      const emitted = emulator.emitted('cluster_term');
      for (const c of clients) {
        assert.ok(
          c.resumes.every((r) => r.recovered),
          'resumed with recovered=true',
        );
        assertExactlyOnce(c.got, emitted, 'client');
      }
      assert.equal(emulator.stats().rooms.cluster_term?.connections, 1);
    } finally {
      for (const c of clients) c.client.disconnect();
      await lb.close();
    }
  });

  it('a Redis restart changes the epoch, clients are told recovered=false, and service continues', async () => {
    const clients = nodes.map((n) => watch('cluster_redis', n.url));
    try {
      for (const c of clients) await c.client.connect();
      await waitFor(() => clients.every((c) => c.got.length >= 10), { timeoutMs: 15_000, what: 'events before the restart' });
      const epochBefore = clients[0].client.epoch;
      const ownerIndex = nodes.findIndex((n) => n.owns('cluster_redis'));
      assert.ok(ownerIndex >= 0, 'a node owns the upstream');
      await redis.stop();
      const readyz = async () => (await fetch(`http://127.0.0.1:${nodes[0].port}/readyz`)).status;
      await waitFor(async () => (await readyz()) === 503, { what: '/readyz to say not ready while Redis is away' });
      const ownersClient = clients[ownerIndex];
      const during = ownersClient.got.length;
      await waitFor(() => ownersClient.got.length > during + 10, {
        timeoutMs: 10_000,
        what: "the owner's clients served while Redis is away",
      });
      await redis.restart();
      await waitFor(() => clients.every((c) => c.resumes.length > 0), { timeoutMs: 20_000, what: 'resumes after the Redis restart' });
      for (const c of clients) assert.equal(c.resumes[0].recovered, false);
      const counts = clients.map((c) => c.got.length);
      await waitFor(() => clients.every((c, i) => c.got.length > counts[i] + 10), { timeoutMs: 15_000, what: 'events after the restart' });
      assert.notEqual(clients[0].client.epoch, epochBefore);
      const res = await fetch(`http://127.0.0.1:${nodes[0].port}/readyz`);
      assert.equal(res.status, 200);
    } finally {
      for (const c of clients) c.client.disconnect();
    }
  });
});
