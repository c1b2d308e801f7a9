import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectRedis, whenReady, type ClusterRedis } from '../src/cluster/redis-connection.js';
import { RedisRequestLimiter } from '../src/cluster/redis-request-limiter.js';
import { MemoryRequestLimiter } from '../src/limits/memory-request-limiter.js';
import type { RequestAdmission, RequestLimiter } from '../src/limits/request-limiter.js';
import { RedisServer } from './cluster-harness.js';

/** A clock the test moves by hand: a minute or a day passes without waiting for it. Starts 10 s into a UTC day. */
class TestClock {
  t = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 10_000;
  readonly now = () => this.t;
}

let owners = 0;
const owner = () => `key_req_${process.pid}_${++owners}`;
const community = { perMinute: 20, perDay: 5_000 };

async function takeN(limiter: RequestLimiter, who: string, n: number, quota = community): Promise<RequestAdmission[]> {
  const out: RequestAdmission[] = [];
  for (let i = 0; i < n; i++) out.push(await limiter.take(who, quota));
  return out;
}

/** The same behaviour, whichever limiter counts. */
function requestLimiterContract(name: string, make: (clock: TestClock) => Promise<{ limiter: RequestLimiter; done(): Promise<void> }>) {
  describe(`${name}: REST requests per minute and per day`, () => {
    let clock: TestClock;
    let limiter: RequestLimiter;
    let done: () => Promise<void>;
    before(async () => {
      clock = new TestClock();
      ({ limiter, done } = await make(clock));
    });
    after(() => done());

    it('admits 20 a minute, refuses the 21st until the next minute, and does not count refusals', async () => {
      const who = owner();
      const admitted = await takeN(limiter, who, 20);
      assert.ok(admitted.every((a) => a.ok));
      assert.deepEqual(admitted[19].windows[0], { window: 'minute', limit: 20, remaining: 0, resetAt: clock.t - 10_000 + 60_000 });
      const refused = await limiter.take(who, community);
      assert.ok(!refused.ok && refused.refusedBy === 'minute' && refused.retryAfterS === 50, JSON.stringify(refused));
      await limiter.take(who, community);
      const peeked = await limiter.peek(who, community);
      assert.equal(peeked.windows.find((w) => w.window === 'day')?.remaining, 5_000 - 20, 'refused requests are not counted');
      clock.t += 50_000;
      assert.ok((await limiter.take(who, community)).ok);
    });

    it('refuses past the day limit until UTC midnight, across minutes', async () => {
      const who = owner();
      const quota = { perMinute: 3, perDay: 5 };
      assert.ok((await takeN(limiter, who, 3, quota)).every((a) => a.ok));
      clock.t += 60_000;
      assert.ok((await takeN(limiter, who, 2, quota)).every((a) => a.ok));
      const refused = await limiter.take(who, quota);
      assert.ok(!refused.ok && refused.refusedBy === 'day', JSON.stringify(refused));
      assert.ok(refused.retryAfterS > 20 * 3600, String(refused.retryAfterS));
      clock.t = Math.ceil(clock.t / 86_400_000) * 86_400_000 + 1;
      assert.ok((await limiter.take(who, quota)).ok);
    });

    it('counts each key apart, and leaves unlimited windows out', async () => {
      const a = owner();
      await takeN(limiter, a, 20);
      assert.ok((await limiter.take(owner(), community)).ok, 'another key is not affected');
      const unlimited = await takeN(limiter, owner(), 30, { perMinute: 10_000, perDay: Infinity });
      assert.ok(unlimited.every((x) => x.ok));
      assert.deepEqual(
        unlimited[29].windows.map((w) => [w.window, w.remaining]),
        [['minute', 10_000 - 30]],
      );
    });
  });
}

requestLimiterContract('MemoryRequestLimiter', async (clock) => ({ limiter: new MemoryRequestLimiter(clock.now), done: async () => {} }));

requestLimiterContract('RedisRequestLimiter on a real redis-server', async (clock) => {
  const server = await RedisServer.start();
  const redis: ClusterRedis = connectRedis(server.url, 'request-limiter-test');
  await whenReady(redis, 10_000);
  return {
    limiter: new RedisRequestLimiter(redis, clock.now),
    done: async () => {
      redis.disconnect();
      await server.stop();
    },
  };
});
