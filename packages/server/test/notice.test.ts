import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChannelRouter } from '../src/cluster/channel-router.js';
import { creatorKeys } from '../src/cluster/keys.js';
import { decodeNotice, encodeClosed, encodeEvent, encodeLive } from '../src/cluster/notice.js';
import { connectRedis, whenReady, type ClusterRedis } from '../src/cluster/redis-connection.js';
import { RedisLog } from '../src/cluster/redis-log.js';
import { UpstreamLease } from '../src/cluster/upstream-lease.js';
import { RedisServer } from './cluster-harness.js';

describe('notice codec', () => {
  it('round-trips an event notice, its data free to hold the separator', () => {
    const data = JSON.stringify({ msgId: '1', comment: 'a|b||c' });
    assert.deepEqual(decodeNotice(encodeEvent('Ab-_9', 42, 'chat', data)), { kind: 'e', epoch: 'Ab-_9', seq: 42, event: 'chat', data });
  });

  it('round-trips the live and closed notices', () => {
    const room = JSON.stringify({ roomId: '7', title: 'x|y' });
    assert.deepEqual(decodeNotice(encodeLive(room)), { kind: 'l', room });
    assert.deepEqual(decodeNotice(encodeClosed(4403, 'upstream failed: age | restricted')), {
      kind: 'c',
      code: 4403,
      reason: 'upstream failed: age | restricted',
    });
  });

  it('ignores what it does not know', () => {
    for (const m of ['', 'x|1', 'e|only|two', 'c', 'chat']) assert.equal(decodeNotice(m), undefined, m);
  });
});

describe('notice codec against the APPEND script', () => {
  let server: RedisServer;
  let redis: ClusterRedis;
  let sub: ClusterRedis;
  before(async () => {
    server = await RedisServer.start();
    redis = connectRedis(server.url, 'notice-test');
    sub = connectRedis(server.url, 'notice-test-sub');
    await Promise.all([whenReady(redis, 10_000), whenReady(sub, 10_000)]);
  });
  after(async () => {
    redis.disconnect();
    sub.disconnect();
    await server.stop();
  });

  it('decodes what the script publishes into the entry it appended', async () => {
    const uniqueId = `notice_test_${process.pid}`;
    const keys = creatorKeys(uniqueId);
    const lease = new UpstreamLease(redis, keys.owner, 30_000);
    assert.ok(await lease.take());
    const log = new RedisLog(redis, uniqueId, { historyMaxEvents: 10, historyTtlMs: 60_000 }, lease.token);
    const router = new ChannelRouter(sub);
    let received!: (message: string) => void;
    const published = new Promise<string>((resolve) => (received = resolve));
    await router.subscribe(keys.channel, (m) => received(m));
    const data = JSON.stringify({ msgId: 'n1', comment: 'pipe | inside' });
    const appended = await log.append({ event: 'chat', data, msgId: 'n1' });
    assert.deepEqual(decodeNotice(await published), { kind: 'e', epoch: appended?.epoch, seq: 1, event: 'chat', data });
  });
});
