import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreatorEventName } from '@tiktool/protocol';
import { connectRedis, whenReady, type ClusterRedis } from '../src/cluster/redis-connection.js';
import { RedisSessionStore } from '../src/cluster/redis-session-store.js';
import { SessionRegistry } from '../src/hub/session-registry.js';
import type { SessionStore } from '../src/hub/session-store.js';
import { createLogger } from '../src/logger.js';
import { RedisServer } from './cluster-harness.js';
import { RedisClusterServer } from './redis-cluster-server.js';

const TTL_MS = 60_000;

/**
 * The same cases, whichever store holds sessions. `here` creates them; `there` finds them
 * (another node in a cluster: a resume may land on any node).
 */
function sessionStoreContract(name: string, setup: () => Promise<{ here: SessionStore; there: SessionStore; done(): Promise<void> }>) {
  describe(`${name} session store`, () => {
    let here: SessionStore;
    let there: SessionStore;
    let done: () => Promise<void>;
    before(async () => ({ here, there, done } = await setup()));
    after(() => done());

    it('finds a created session by id, for its key and creator', async () => {
      const created = here.create('creator_a', 'key_1', new Set<CreatorEventName>(['chat', 'gift']), 'epochA');
      const found = await there.find(created.id, 'creator_a', 'key_1');
      assert.deepEqual(
        {
          id: found?.id,
          uniqueId: found?.uniqueId,
          keyId: found?.keyId,
          events: found?.events && [...found.events].sort(),
          epoch: found?.epoch,
          lastSentSeq: found?.lastSentSeq,
        },
        { id: created.id, uniqueId: 'creator_a', keyId: 'key_1', events: ['chat', 'gift'], epoch: 'epochA', lastSentSeq: 0 },
      );
    });

    it('does not hand a session to another key or for another creator', async () => {
      const created = here.create('creator_a', 'key_1', undefined, 'epochA');
      assert.equal(await there.find(created.id, 'creator_a', 'key_2'), undefined);
      assert.equal(await there.find(created.id, 'creator_b', 'key_1'), undefined);
      assert.equal(await there.find('no-such-session', 'creator_a', 'key_1'), undefined);
    });

    it('keeps where a detached session stopped, and its filter (none: every event)', async () => {
      const created = here.create('creator_a', 'key_1', undefined, 'epochB');
      created.lastSentSeq = 17;
      here.detached(created);
      const found = await there.find(created.id, 'creator_a', 'key_1');
      assert.deepEqual([found?.epoch, found?.lastSentSeq, found?.events], ['epochB', 17, undefined]);
      assert.notEqual(found?.detachedAt, undefined);
    });

    it('gives every session its own id', () => {
      const a = here.create('creator_a', 'key_1', undefined, 'e');
      const b = here.create('creator_a', 'key_1', undefined, 'e');
      assert.notEqual(a.id, b.id);
    });
  });
}

sessionStoreContract('memory', async () => {
  const store = new SessionRegistry(TTL_MS);
  return { here: store, there: store, done: async () => store.close() };
});

/** Two stores on one connection to `server`: a node's save reaches Redis before the other node's read (commands in order). */
async function redisStores(server: { url: string; stop(): Promise<void> }) {
  const redis: ClusterRedis = connectRedis(server.url, 'session-test');
  await whenReady(redis, 10_000);
  const log = createLogger('silent');
  const here = new RedisSessionStore(redis, TTL_MS, log);
  const there = new RedisSessionStore(redis, TTL_MS, log);
  return {
    here,
    there,
    done: async () => {
      here.close();
      there.close();
      redis.disconnect();
      await server.stop();
    },
  };
}

sessionStoreContract('redis', async () => redisStores(await RedisServer.start()));

sessionStoreContract('redis cluster', async () => redisStores(await RedisClusterServer.start()));
