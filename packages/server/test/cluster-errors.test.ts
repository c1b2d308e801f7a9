import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { TikTokLive, type TikTokLiveError } from '@tiktool/live';
import { RedisServer } from './cluster-harness.js';
import { GatewayProcess } from './gateway-process.js';
import { TEST_KEY } from './helpers.js';

describe('cluster mode: an upstream failure', () => {
  let redis: RedisServer;
  let emulator: Emulator;
  let nodes: GatewayProcess[];

  before(async () => {
    redis = await RedisServer.start();
    emulator = await startEmulator({ rate: 0 });
    const env = {
      REDIS_URL: redis.url,
      TIKTOOL_UPSTREAM: 'webcast',
      TIKTOK_WEB_URL: emulator.url,
      TIKTOK_WEBCAST_URL: emulator.url,
      SIGN_API_URL: emulator.url,
      TIKTOOL_DB: ':memory:',
      TIKTOOL_BOOTSTRAP_KEY: TEST_KEY,
    };
    nodes = await Promise.all([GatewayProcess.start(env), GatewayProcess.start(env)]);
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGTERM')));
    await emulator.close();
    await redis.stop();
  });

  // Clients on both nodes at once: one node owns the failing upstream, the other waits for
  // it and learns of the failure from Redis; both must close with the owner's code.
  it('closes the clients of every node with the code of the owner’s error (age-restricted: 4403)', async () => {
    for (let round = 0; round < 5; round++) {
      const creator = `adult_cluster_${round}`;
      const clients = [...nodes, ...nodes].map((n) => new TikTokLive(creator, { apiKey: TEST_KEY, url: n.url, reconnect: false }));
      const closes = await Promise.all(
        clients.map((c) =>
          c.connect().then(
            () => 'connected',
            (err: TikTokLiveError) => err.closeCode,
          ),
        ),
      );
      assert.deepEqual(closes, [4403, 4403, 4403, 4403], creator);
    }
  });
});
