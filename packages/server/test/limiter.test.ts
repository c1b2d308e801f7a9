import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectRedis, whenReady, type ClusterRedis } from '../src/cluster/redis-connection.js';
import { RedisLimiter } from '../src/cluster/redis-limiter.js';
import type { AdmitRequest, Limiter, SocketLease } from '../src/limits/limiter.js';
import { MemoryLimiter } from '../src/limits/memory-limiter.js';
import { RedisServer } from './cluster-harness.js';

const LINGER_MS = 30_000;

/** A clock the test moves by hand, so a linger passes without waiting for it. */
class TestClock {
  t = Date.now();
  readonly now = () => this.t;
}

let owners = 0;
/** A community-like key: 3 sockets, 3 creators, 60 connects an hour. */
function key(overrides: Partial<AdmitRequest> = {}): (more?: Partial<AdmitRequest>) => AdmitRequest {
  const owner = `key_test_${process.pid}_${++owners}`;
  return (more = {}) => ({
    owner,
    token: undefined,
    uniqueId: 'creator_a',
    maxSockets: 3,
    maxCreators: 3,
    connectsPerHour: 60,
    countConnect: true,
    creatorLingerMs: LINGER_MS,
    ...overrides,
    ...more,
  });
}

async function lease(limiter: Limiter, r: AdmitRequest): Promise<SocketLease> {
  const a = await limiter.admit(r);
  assert.ok(a.ok, `admitted: ${JSON.stringify(a)}`);
  return a.lease;
}

/** The same behaviour, whichever limiter counts. */
function limiterContract(name: string, make: (clock: TestClock) => Promise<{ limiter: Limiter; done(): Promise<void> }>) {
  describe(`${name}: scoped tokens and creator slots`, () => {
    let clock: TestClock;
    let limiter: Limiter;
    let done: () => Promise<void>;
    before(async () => {
      clock = new TestClock();
      ({ limiter, done } = await make(clock));
    });
    after(() => done());

    it("counts every token's sockets against the key: 3 in total", async () => {
      const k = key();
      const held = [];
      for (let t = 0; t < 3; t++) held.push(await lease(limiter, k({ token: { id: `tok${t}`, maxSockets: 3 } })));
      for (let t = 0; t < 4; t++) {
        const a = await limiter.admit(k({ token: { id: `tok${t}`, maxSockets: 3 } }));
        assert.deepEqual(a.ok ? 'admitted' : a.limit, 'sockets');
      }
      assert.equal((await limiter.usage(k().owner)).sockets, 3);
      await held[0].release();
      await lease(limiter, k({ token: { id: 'tok9', maxSockets: 3 } }));
    });

    it("narrows to the token's own socket limit", async () => {
      const k = key({ maxSockets: 50 });
      const token = { id: 'narrow', maxSockets: 1 };
      const first = await lease(limiter, k({ token }));
      const second = await limiter.admit(k({ token }));
      assert.equal(second.ok ? 'admitted' : second.limit, 'tokenSockets');
      await lease(limiter, k({ token: { id: 'other', maxSockets: 1 } }));
      await first.release();
      await lease(limiter, k({ token }));
    });

    it('holds the hourly connect limit across all tokens', async () => {
      const k = key({ connectsPerHour: 5, creatorLingerMs: 0 });
      for (let i = 0; i < 5; i++) await (await lease(limiter, k({ token: { id: `c${i}`, maxSockets: 3 } }))).release();
      const a = await limiter.admit(k({ token: { id: 'fresh', maxSockets: 3 } }));
      assert.equal(a.ok ? 'admitted' : a.limit, 'connects');
      assert.ok(!a.ok && a.retryAfterS > 3000 && a.retryAfterS <= 3600, JSON.stringify(a));
    });

    it('keeps a creator slot for the linger after its last socket closed', async () => {
      const k = key({ maxSockets: 50 });
      for (const u of ['lin_a', 'lin_b', 'lin_c']) await (await lease(limiter, k({ uniqueId: u }))).release();
      clock.t += 10_000;
      const fourth = await limiter.admit(k({ uniqueId: 'lin_d' }));
      assert.equal(fourth.ok ? 'admitted' : fourth.limit, 'creators');
      assert.ok(!fourth.ok && fourth.retryAfterS > 15 && fourth.retryAfterS <= 20, JSON.stringify(fourth));
      assert.equal((await limiter.usage(k().owner)).creators, 3);
      await (await lease(limiter, k({ uniqueId: 'lin_a' }))).release();
      clock.t += LINGER_MS - 10_000 + 1;
      await lease(limiter, k({ uniqueId: 'lin_d' }));
      await lease(limiter, k({ uniqueId: 'lin_e' }));
      const sixth = await limiter.admit(k({ uniqueId: 'lin_f' }));
      assert.equal(sixth.ok ? 'admitted' : sixth.limit, 'creators', 'lin_a was watched again, so it still lingers');
      assert.ok(!sixth.ok && sixth.retryAfterS === 10, JSON.stringify(sixth));
    });

    it("holds a roster's creators apart from its socket: each counts, with the key's other sockets", async () => {
      const k = key({ maxSockets: 50 });
      const hold = (uniqueId: string) => limiter.holdCreator({ owner: k().owner, uniqueId, maxCreators: 3, creatorLingerMs: LINGER_MS });
      const roster = await lease(limiter, k({ uniqueId: undefined }));
      assert.equal((await limiter.usage(k().owner)).creators, 0, 'a roster socket holds no creator itself');
      const single = await lease(limiter, k({ uniqueId: 'ros_a' }));
      const a = await hold('ros_a');
      const b = await hold('ros_b');
      const c = await hold('ros_c');
      assert.ok(a.ok && b.ok && c.ok, 'ros_a is held by a socket and a roster: one creator');
      const d = await hold('ros_d');
      assert.deepEqual(d.ok ? 'held' : [d.limit, d.retryAfterS > 0], ['creators', true]);
      const e = await limiter.admit(k({ uniqueId: 'ros_e' }));
      assert.equal(e.ok ? 'admitted' : e.limit, 'creators', 'a single socket counts the roster creators too');
      assert.deepEqual(await limiter.usage(k().owner), { ...(await limiter.usage(k().owner)), sockets: 2, creators: 3 });
      // Released, a roster creator keeps its slot for the linger, as a socket's does.
      if (b.ok) await b.lease.release();
      assert.equal((await hold('ros_d')).ok, false);
      clock.t += LINGER_MS + 1;
      assert.equal((await hold('ros_d')).ok, true);
      await roster.release();
      await single.release();
    });

    it('limits token mints per key', async () => {
      const owner = key()().owner;
      for (let i = 0; i < 3; i++) assert.ok((await limiter.mintToken(owner, 3)).ok);
      const refused = await limiter.mintToken(owner, 3);
      assert.ok(!refused.ok && refused.retryAfterS > 0 && refused.retryAfterS <= 60, JSON.stringify(refused));
      assert.ok((await limiter.mintToken(key()().owner, 3)).ok, 'another key is not affected');
    });
  });
}

limiterContract('MemoryLimiter', async (clock) => ({ limiter: new MemoryLimiter(clock.now), done: async () => {} }));

limiterContract('RedisLimiter on a real redis-server', async (clock) => {
  const server = await RedisServer.start();
  const redis: ClusterRedis = connectRedis(server.url, 'limiter-test');
  await whenReady(redis, 10_000);
  const limiter = new RedisLimiter(redis, 30_000, clock.now);
  return {
    limiter,
    done: async () => {
      await limiter.close();
      redis.disconnect();
      await server.stop();
    },
  };
});
