import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { waitFor } from '@tiktool/testkit';
import { RedisServer } from './cluster-harness.js';
import { type GatewayProcess, startHosts } from './gateway-process.js';
import { TEST_KEY } from './helpers.js';
import { PostgresServer } from './postgres-server.js';
import { api } from './webhook-api.js';
import { WebhookReceiver, verifies } from './webhook-receiver.js';

const FINGER_HEART = 5487;

describe('webhooks in a cluster: two nodes on one Postgres and one Redis', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let emulator: Emulator;
  let receiver: WebhookReceiver;
  let nodes: GatewayProcess[] = [];

  before(async () => {
    [postgres, redis, emulator, receiver] = await Promise.all([
      PostgresServer.start(),
      RedisServer.start(),
      startEmulator({ rate: 0 }),
      WebhookReceiver.start(),
    ]);
    // Each host has its own data directory; only Postgres and Redis are shared.
    nodes = await startHosts({
      databaseUrl: await postgres.createDatabase(),
      redisUrl: redis.url,
      emulatorUrl: emulator.url,
      env: {
        TIKTOOL_BOOTSTRAP_KEY: TEST_KEY,
        TIKTOOL_LIVE_CHECK_MS: '200',
        TIKTOOL_WEBHOOK_ALLOW_PRIVATE: '1',
        TIKTOOL_WEBHOOK_RETRY_BASE_MS: '200',
      },
    });
  });
  after(async () => {
    for (const n of nodes) await n.kill('SIGTERM');
    await Promise.all([emulator.close(), receiver.close(), redis.stop(), postgres.stop()]);
  });

  it('delivers each event once, whichever node hears it or enqueues it', async () => {
    const [a, b] = nodes.map((n) => `http://127.0.0.1:${n.port}`);
    const uniqueId = 'offline_clustered';
    const created = await api(a!, 'POST', '/v1/webhooks', {
      url: receiver.url('/cluster'),
      creators: [uniqueId],
      events: ['live.start', 'live.end', 'gift'],
    });
    assert.equal(created.status, 201);
    const id = created.body.id as string;
    // Both nodes know the endpoint (B reloads within 5 s) before the creator goes live.
    await waitFor(async () => (await api(b!, 'GET', `/v1/webhooks/${id}`)).status === 200);
    const pings: string[] = [];
    for (let i = 0; i < 6; i++) pings.push((await api(i % 2 ? a! : b!, 'POST', `/v1/webhooks/${id}/test`)).body.eventId as string);

    emulator.setLive(uniqueId, true);
    await waitFor(() => receiver.of('live.start').length > 0, { timeoutMs: 20_000, what: 'live.start' });
    await waitFor(() => nodes.some((n) => n.owns(uniqueId)), { timeoutMs: 20_000, what: 'an owner of the upstream' });
    emulator.gift(uniqueId, FINGER_HEART, 200, 3);
    await waitFor(() => receiver.of('gift').length > 0, { timeoutMs: 20_000, what: 'the gift' });
    emulator.setLive(uniqueId, false);
    await waitFor(() => receiver.of('live.end').length > 0, { timeoutMs: 20_000, what: 'live.end' });
    const last = (await api(b!, 'POST', `/v1/webhooks/${id}/test`)).body.eventId as string;
    await waitFor(() => receiver.acceptedIds().includes(last), { what: 'a last ping' });

    const ids = receiver.received.map((r) => r.body.id);
    assert.equal(new Set(ids).size, ids.length, `each event delivered once: ${receiver.received.map((r) => r.body.type).join(',')}`);
    assert.ok(pings.every((p) => ids.includes(p)));
    assert.deepEqual(
      ['live.start', 'gift', 'live.end'].map((t) => receiver.of(t).length),
      [1, 1, 1],
    );
    assert.ok(receiver.received.every((r) => verifies(r, created.body.secret as string)));
  });
});
