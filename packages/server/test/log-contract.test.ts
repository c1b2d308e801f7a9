import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { creatorKeys } from '../src/cluster/keys.js';
import { connectRedis, whenReady, type ClusterRedis } from '../src/cluster/redis-connection.js';
import { RedisLog } from '../src/cluster/redis-log.js';
import { UpstreamLease } from '../src/cluster/upstream-lease.js';
import type { CreatorLog, LogEvent } from '../src/hub/log.js';
import { MemoryLog } from '../src/hub/memory-log.js';
import { RedisServer } from './cluster-harness.js';

const MAX_EVENTS = 3;
const MAX_AGE_MS = 60_000;

let ids = 0;
const comment = (text: string): LogEvent => {
  const msgId = `m${++ids}`;
  return { event: 'chat', data: JSON.stringify({ msgId, comment: text }), msgId };
};
const gift = (repeatEnd: boolean): LogEvent => {
  const msgId = `m${++ids}`;
  return { event: 'gift', data: JSON.stringify({ msgId, giftId: 5655, repeatCount: 2, repeatEnd }), msgId };
};
/** What a client receives for an entry: the envelope in its frame (a short text frame: 2-byte header). */
const envelope = (wire: Buffer) => JSON.parse(wire.subarray(2).toString('utf8')) as { event: string; data: unknown; seq: number };

/** The same cases, whichever log sequences: each case gets a fresh, empty log. */
function logContract(name: string, setup: () => Promise<{ fresh(): Promise<CreatorLog>; done(): Promise<void> }>) {
  describe(`${name} creator log`, () => {
    let fresh: () => Promise<CreatorLog>;
    let done: () => Promise<void>;
    before(async () => ({ fresh, done } = await setup()));
    after(() => done());

    it('starts at head 0 in an epoch that stays the same', async () => {
      const log = await fresh();
      const first = await log.position();
      assert.equal(first.head, 0);
      assert.ok(first.epoch.length > 0);
      assert.deepEqual(await log.position(), first);
    });

    it('gives appended events consecutive seqs from 1, each frame carrying its seq', async () => {
      const log = await fresh();
      const { epoch } = await log.position();
      const events = ['a', 'b', 'c'].map(comment);
      const appended = [];
      for (const e of events) appended.push(await log.append(e));
      assert.deepEqual(
        appended.map((s) => [s?.epoch, s?.entry.seq]),
        [
          [epoch, 1],
          [epoch, 2],
          [epoch, 3],
        ],
      );
      assert.deepEqual(
        appended.map((s) => envelope(s!.entry.wire)),
        events.map((e, i) => ({ event: 'chat', data: JSON.parse(e.data), seq: i + 1 })),
      );
      assert.equal((await log.position()).head, 3);
    });

    it("marks a gift streak's intermediate message once, at append", async () => {
      const log = await fresh();
      const progress = await log.append(gift(false));
      const final = await log.append(gift(true));
      assert.equal(progress?.entry.streakProgress, true);
      assert.equal(final?.entry.streakProgress, false);
      const read = await log.read(1);
      assert.deepEqual(
        read.entries.map((s) => s.entry.streakProgress),
        [true, false],
      );
    });

    it('reads from a seq on, oldest first, with each entry data', async () => {
      const log = await fresh();
      const events = [comment('one'), comment('two'), comment('three')];
      for (const e of events) await log.append(e);
      const read = await log.read(2);
      assert.equal(read.head, 3);
      assert.deepEqual(
        read.entries.map((s) => [s.entry.seq, JSON.parse(s.data)]),
        [
          [2, JSON.parse(events[1].data)],
          [3, JSON.parse(events[2].data)],
        ],
      );
      assert.deepEqual((await log.read(4)).entries, []);
    });

    it('keeps a bounded history: always the newest events, contiguous up to the head', async () => {
      const log = await fresh();
      for (let i = 0; i < 2 * MAX_EVENTS + 1; i++) await log.append(comment(`c${i}`));
      const seqs = (await log.read(1)).entries.map((s) => s.entry.seq);
      const head = 2 * MAX_EVENTS + 1;
      assert.ok(seqs.length >= MAX_EVENTS, `holds the newest ${MAX_EVENTS}: ${seqs}`);
      assert.deepEqual(
        seqs,
        Array.from({ length: seqs.length }, (_, i) => head - seqs.length + 1 + i),
      );
    });

    it('reset drops the history and continues from seq 1 under a new epoch', async () => {
      const log = await fresh();
      await log.append(comment('before'));
      const { epoch: old } = await log.position();
      const reset = await log.reset();
      assert.notEqual(reset.epoch, old);
      assert.equal(reset.head, 0);
      assert.deepEqual(await log.position(), reset);
      assert.deepEqual((await log.read(1)).entries, []);
      const next = await log.append(comment('after'));
      assert.deepEqual([next?.epoch, next?.entry.seq], [reset.epoch, 1]);
    });
  });
}

logContract('memory', async () => ({
  fresh: async () => new MemoryLog('log_test', { maxEvents: MAX_EVENTS, maxAgeMs: MAX_AGE_MS }),
  done: async () => undefined,
}));

let server: RedisServer;
let redis: ClusterRedis;
let creators = 0;
/** A log of a creator nobody used yet, appended to under this node's lease. */
async function redisLog(): Promise<RedisLog> {
  const uniqueId = `log_test_${process.pid}_${++creators}`;
  const lease = new UpstreamLease(redis, creatorKeys(uniqueId).owner, 30_000);
  assert.ok(await lease.take());
  return new RedisLog(redis, uniqueId, { historyMaxEvents: MAX_EVENTS, historyTtlMs: MAX_AGE_MS }, lease.token);
}

before(async () => {
  server = await RedisServer.start();
  redis = connectRedis(server.url, 'log-test');
  await whenReady(redis, 10_000);
});
after(async () => {
  redis.disconnect();
  await server.stop();
});

logContract('redis', async () => ({ fresh: redisLog, done: async () => undefined }));

describe('redis creator log, shared by nodes', () => {
  it("drops an event whose msgId it holds: a new owner's resent message", async () => {
    const log = await redisLog();
    const e = comment('once');
    assert.equal((await log.append(e))?.entry.seq, 1);
    assert.equal(await log.append(e), undefined);
    assert.equal((await log.position()).head, 1);
  });

  it('refuses an append from a node that does not hold the lease', async () => {
    const owned = await redisLog();
    await owned.append(comment('owner'));
    const other = new RedisLog(
      redis,
      `log_test_${process.pid}_${creators}`,
      { historyMaxEvents: MAX_EVENTS, historyTtlMs: MAX_AGE_MS },
      'not-the-token',
    );
    await assert.rejects(other.append(comment('intruder')), /does not own/);
    assert.equal((await other.position()).head, 1);
  });
});
