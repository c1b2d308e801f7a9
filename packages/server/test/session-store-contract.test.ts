import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreatorEventName } from '@tiktool/protocol';
import { connectRedis, whenReady, type ClusterRedis } from '../src/cluster/redis-connection.js';
import { RedisSessionStore } from '../src/cluster/redis-session-store.js';
import { SessionRegistry } from '../src/hub/session-registry.js';
import type { SessionStore } from '../src/hub/session-store.js';
import { createLogger } from '../src/logger.js';
import { RedisServer } from './cluster-harness.js';

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

    it('finds a created session by id, for its key', async () => {
      const created = here.create('key_1', false, new Set<CreatorEventName>(['chat', 'gift']));
      const found = await there.find(created.id, 'key_1');
      assert.deepEqual(
        {
          id: found?.id,
          keyId: found?.keyId,
          roster: found?.roster,
          events: found?.events && [...found.events].sort(),
          creators: found?.creators.size,
        },
        { id: created.id, keyId: 'key_1', roster: false, events: ['chat', 'gift'], creators: 0 },
      );
    });

    it('does not hand a session to another key', async () => {
      const created = here.create('key_1', false, undefined);
      assert.equal(await there.find(created.id, 'key_2'), undefined);
      assert.equal(await there.find('no-such-session', 'key_1'), undefined);
    });

    it('keeps where a detached session stopped per creator, in roster order, and its filter (none: every event)', async () => {
      const created = here.create('key_1', true, undefined);
      created.creators.set('creator_b', { epoch: 'epochB', lastSentSeq: 17 });
      created.creators.set('creator_a', { epoch: '', lastSentSeq: 0 });
      here.detached(created);
      const found = await there.find(created.id, 'key_1');
      assert.equal(found?.roster, true);
      assert.deepEqual(
        [...(found?.creators ?? [])],
        [
          ['creator_b', { epoch: 'epochB', lastSentSeq: 17 }],
          ['creator_a', { epoch: '', lastSentSeq: 0 }],
        ],
      );
      assert.equal(found?.events, undefined);
      assert.notEqual(found?.detachedAt, undefined);
    });

    it('finds a roster as it last changed, before its socket closed (its node may have died)', async () => {
      const created = here.create('key_1', true, undefined);
      created.creators.set('creator_c', { epoch: '', lastSentSeq: 0 });
      here.changed(created);
      const found = await there.find(created.id, 'key_1');
      assert.deepEqual([...(found?.creators.keys() ?? [])], ['creator_c']);
    });

    it('gives every session its own id', () => {
      const a = here.create('key_1', false, undefined);
      const b = here.create('key_1', false, undefined);
      assert.notEqual(a.id, b.id);
    });
  });
}

sessionStoreContract('memory', async () => {
  const store = new SessionRegistry(TTL_MS);
  return { here: store, there: store, done: async () => store.close() };
});

sessionStoreContract('redis', async () => {
  const server = await RedisServer.start();
  // One connection: a node's save reaches Redis before the other node's read (commands in order).
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
});
