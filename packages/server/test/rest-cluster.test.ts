import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import type { Gateway } from '../src/index.js';
import { RedisServer } from './cluster-harness.js';
import { startTestGateway } from './helpers.js';
import type { Answer } from './openapi-check.js';
import { inOneMinute } from './rest-windows.js';

describe('REST limits in cluster mode: two nodes on one Redis', () => {
  let redis: RedisServer;
  let emulator: Emulator;
  let nodes: Gateway[];

  before(async () => {
    redis = await RedisServer.start();
    emulator = await startEmulator({ host: '127.0.0.1', port: 0, rate: 0 });
    // One key store for both nodes, so the bootstrap key is one key id.
    const dbPath = join(mkdtempSync(join(tmpdir(), 'tiktool-rest-cluster-')), 'keys.sqlite');
    const options = {
      redisUrl: redis.url,
      dbPath,
      bootstrapTier: 'community',
      upstream: 'webcast' as const,
      webcast: emulator.upstreamOptions(),
    };
    nodes = [await startTestGateway(options), await startTestGateway(options)];
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await emulator.close();
    await redis.stop();
  });

  it("holds the community tier's 20 requests a minute across the nodes", async () => {
    const { answers } = await inOneMinute(async () => {
      const { key } = await nodes[0].keys.create('community');
      const answers: Answer[] = [];
      for (let i = 0; i < 22; i++) {
        const res = await fetch(`${nodes[i % 2].url}/v1/live/cluster_rest`, { headers: { authorization: `Bearer ${key}` } });
        answers.push({ status: res.status, body: await res.json(), headers: res.headers });
      }
      return { answers };
    });
    assert.deepEqual(
      answers.map((a) => a.status),
      [...Array(20).fill(200), 429, 429],
    );
  });
});
