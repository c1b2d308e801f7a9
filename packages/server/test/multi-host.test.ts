import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { CloseCode } from '@tiktool/protocol';
import { RedisServer } from './cluster-harness.js';
import { GatewayProcess, startHosts } from './gateway-process.js';
import { waitFor } from '@tiktool/testkit';
import { RawClient, TEST_KEY } from './helpers.js';
import { PostgresServer } from './postgres-server.js';

const ADMIN_TOKEN = 'admin-token-for-the-multi-host-tests-0123456789';

/** A client of a node process: `ws://node/?params`. */
function client(node: GatewayProcess, params: Record<string, string | number>): RawClient {
  return new RawClient(`${node.url}/?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
}

async function admin(node: GatewayProcess, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${node.port}/v1/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function createKey(node: GatewayProcess, tier: string): Promise<{ key: string; id: string }> {
  const res = await admin(node, 'POST', '/keys', { tier });
  assert.equal(res.status, 201);
  const { key, record } = (await res.json()) as { key: string; record: { id: string } };
  return { key, id: record.id };
}

describe('two hosts: nodes sharing nothing but Postgres and Redis', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let emulator: Emulator;
  let a: GatewayProcess;
  let b: GatewayProcess;

  before(async () => {
    postgres = await PostgresServer.start();
    redis = await RedisServer.start();
    emulator = await startEmulator({ rate: 100 });
    // Each host has its own data directory; only Postgres and Redis are shared.
    [a, b] = await startHosts({
      databaseUrl: await postgres.createDatabase(),
      redisUrl: redis.url,
      emulatorUrl: emulator.url,
      env: {
        TIKTOOL_BOOTSTRAP_KEY: TEST_KEY,
        TIKTOOL_ADMIN_TOKEN: ADMIN_TOKEN,
      },
    });
  });

  after(async () => {
    await Promise.all([a, b].map((n) => n?.kill('SIGTERM')));
    await emulator?.close();
    await redis?.stop();
    await postgres?.stop();
  });

  it("a key created through node A's admin API connects on node B at once", async () => {
    const { key } = await createKey(a, 'pro');
    const c = client(b, { uniqueId: 'hosts_new', apiKey: key });
    await c.until((x) => x.roomInfo !== undefined);
    c.close();
  });

  it('revoking a key on node B closes its socket on node A with 4401 within 2 s', async () => {
    const { key, id } = await createKey(a, 'pro');
    const c = client(a, { uniqueId: 'hosts_revoke', apiKey: key });
    await c.until((x) => x.roomInfo !== undefined);
    const t0 = Date.now();
    assert.equal((await admin(b, 'POST', `/keys/${id}/revoke`)).status, 200);
    const closed = await c.closed;
    assert.equal(closed.code, CloseCode.UNAUTHORIZED);
    assert.ok(Date.now() - t0 < 2000, `closed after ${Date.now() - t0} ms`);
    const again = client(a, { uniqueId: 'hosts_revoke', apiKey: key });
    assert.equal((await again.closed).code, CloseCode.UNAUTHORIZED);
  });

  it('a session opened on A resumes on B with recovered: true, no gap or duplicate', async () => {
    const first = client(a, { uniqueId: 'hosts_resume', apiKey: TEST_KEY });
    await first.until((x) => x.events().length >= 20);
    first.close();
    await first.closed;
    const seqs = (c: RawClient) => c.events().map((e) => e.seq!);
    const lastSeq = seqs(first).at(-1)!;
    const sessionId = first.roomInfo!.data.sessionId as string;
    const second = client(b, { uniqueId: 'hosts_resume', apiKey: TEST_KEY, sessionId, lastSeq });
    await second.until((x) => x.roomInfo !== undefined);
    assert.equal(second.roomInfo!.data.sessionId, sessionId);
    assert.equal(second.roomInfo!.data.recovered, true);
    await second.until((x) => x.events().length >= 20);
    const resumed = seqs(second);
    assert.equal(resumed[0], lastSeq + 1);
    for (let i = 1; i < resumed.length; i++) assert.equal(resumed[i], resumed[i - 1] + 1, 'gapless and in order');
    second.close();
  });

  it("a key re-tiered on A takes B's new limits, and the limit holds across both nodes", async () => {
    const { key, id } = await createKey(a, 'pro');
    assert.equal((await admin(a, 'PATCH', `/keys/${id}`, { tier: 'community' })).status, 200);
    const url = { uniqueId: 'hosts_limit', apiKey: key };
    const held = [client(a, url), client(b, url), client(a, url)];
    for (const c of held) await c.until((x) => x.roomInfo !== undefined);
    const fourth = client(b, url);
    const closed = await fourth.closed;
    assert.equal(closed.code, CloseCode.RATE_LIMITED);
    assert.match(closed.reason, /tier community allows 3/);
    for (const c of held) c.close();
  });

  it('a node with REDIS_URL and a local SQLite file warns that accounts are per host; one on Postgres does not', async () => {
    const local = await GatewayProcess.start({
      REDIS_URL: redis.url,
      TIKTOOL_UPSTREAM: 'emulator',
      TIKTOOL_DB: join(mkdtempSync(join(tmpdir(), 'tiktool-host-')), 'tiktool.db'),
    });
    try {
      await waitFor(() => local.output.includes('per host'), { timeoutMs: 5000, what: 'the warning' });
      assert.match(local.output, /keys, usage and sessions' owners are per host/);
      assert.match(local.output, /DATABASE_URL/);
      assert.doesNotMatch(a.output, /per host/);
    } finally {
      await local.kill('SIGTERM');
    }
  });
});
