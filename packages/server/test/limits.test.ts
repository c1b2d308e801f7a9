import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CREATOR_EVENT_NAMES, CloseCode, retryAfterSeconds } from '@tiktool/protocol';
import type { Gateway } from '../src/index.js';
import { SqliteAccountStore } from '../src/accounts/sqlite-account-store.js';
import { KeyStore } from '../src/auth/key-store.js';
import { TikTokLive, type ResumedEvent } from '@tiktool/live';
import { waitFor } from '@tiktool/testkit';
import { RawClient, TEST_KEY, connectUrl, startTestGateway } from './helpers.js';

function tiersFile(tiers: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tiktool-tiers-')), 'tiers.json');
  writeFileSync(file, JSON.stringify(tiers));
  return file;
}

describe('tiers and limits', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startTestGateway({
      tiersFile: tiersFile({ brief: { maxSockets: 5, connectsPerHour: 1000, maxSessionMinutes: 1 / 60 } }),
      adminToken: 'admin-secret-token-for-the-limits-tests',
    });
  });
  after(() => gateway.close());

  it('closes the 4th concurrent socket of a community key with 4429 naming the limit', async () => {
    const { key } = await gateway.keys.create('community');
    const open = [1, 2, 3].map(() => new RawClient(connectUrl(gateway, { uniqueId: 'lim_a', apiKey: key })));
    await Promise.all(open.map((c) => c.until((x) => x.roomInfo !== undefined)));
    const fourth = new RawClient(connectUrl(gateway, { uniqueId: 'lim_a', apiKey: key }));
    const closed = await fourth.closed;
    assert.equal(closed.code, CloseCode.RATE_LIMITED);
    assert.match(closed.reason, /concurrent sockets: tier community allows 3; retry after \d+ s/);
    open[0].close();
    await open[0].closed;
    const again = new RawClient(connectUrl(gateway, { uniqueId: 'lim_a', apiKey: key }));
    await again.until((x) => x.roomInfo !== undefined);
    for (const c of [again, ...open]) c.close();
  });

  it('closes the 61st connect in an hour with 4429 and a retry-after', async () => {
    const { key } = await gateway.keys.create('community');
    for (let i = 0; i < 60; i++) {
      const c = new RawClient(connectUrl(gateway, { uniqueId: 'lim_b', apiKey: key }));
      await c.until((x) => x.roomInfo !== undefined);
      c.close();
      await c.closed;
    }
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'lim_b', apiKey: key }));
    const closed = await c.closed;
    assert.equal(closed.code, CloseCode.RATE_LIMITED);
    assert.match(closed.reason, /too many connects: tier community allows 60 per hour/);
    const wait = retryAfterSeconds(closed.reason)!;
    assert.ok(wait > 3000 && wait <= 3600, `retry after ${wait}`);
  });

  it('closes a socket at the tier session duration with 4555', async () => {
    const { key } = await gateway.keys.create('brief');
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'lim_c', apiKey: key }));
    const closed = await c.closed;
    assert.equal(closed.code, CloseCode.SESSION_LIMIT);
    assert.ok(c.roomInfo, 'the session was served before the limit');
  });

  it('the SDK resumes a session closed at the duration limit without losing an event', async () => {
    const { key } = await gateway.keys.create('brief');
    const client = new TikTokLive('lim_k', { apiKey: key, url: gateway.wsUrl });
    const seqs: number[] = [];
    for (const name of CREATOR_EVENT_NAMES) client.on(name as 'chat', (_d, e) => void seqs.push(e.seq));
    const closes: number[] = [];
    client.on('disconnected', (d) => void closes.push(d.code));
    const resumes: ResumedEvent[] = [];
    client.on('resumed', (r) => void resumes.push(r));
    await client.connect();
    await waitFor(() => resumes.length >= 1, { timeoutMs: 10_000, what: 'a resume after 4555' });
    client.disconnect();
    assert.equal(closes[0], CloseCode.SESSION_LIMIT);
    assert.equal(resumes[0].recovered, true);
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, 'every event once, in order');
  });

  it('closes the open sockets of a revoked key with 4401 within 5 s (admin API)', async () => {
    const { key, record } = await gateway.keys.create('pro');
    const a = new RawClient(connectUrl(gateway, { uniqueId: 'lim_d', apiKey: key }));
    const b = new RawClient(connectUrl(gateway, { uniqueId: 'lim_e', apiKey: key }));
    await Promise.all([a, b].map((c) => c.until((x) => x.roomInfo !== undefined)));
    const t0 = Date.now();
    const res = await fetch(`${gateway.url}/v1/admin/keys/${record.id}/revoke`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-secret-token-for-the-limits-tests' },
    });
    assert.equal(res.status, 200);
    for (const c of [a, b]) assert.equal((await c.closed).code, CloseCode.UNAUTHORIZED);
    assert.ok(Date.now() - t0 < 5000);
    const retry = new RawClient(connectUrl(gateway, { uniqueId: 'lim_d', apiKey: key }));
    assert.equal((await retry.closed).code, CloseCode.UNAUTHORIZED);
  });

  it('closes sockets of a key revoked by another process (the CLI) within 5 s', async () => {
    // The gateway polls the SQLite file for revocations made elsewhere.
    const dbPath = join(mkdtempSync(join(tmpdir(), 'tiktool-limits-')), 'keys.sqlite');
    const own = await startTestGateway({ dbPath });
    const cli = SqliteAccountStore.open(dbPath);
    try {
      const { key, record } = await own.keys.create('pro');
      const a = new RawClient(connectUrl(own, { uniqueId: 'lim_f', apiKey: key }));
      await a.until((x) => x.roomInfo !== undefined);
      const t0 = Date.now();
      await (await KeyStore.open(cli, { watch: false })).revoke(record.id); // the write the CLI makes
      assert.equal((await a.closed).code, CloseCode.UNAUTHORIZED);
      assert.ok(Date.now() - t0 < 5000);
    } finally {
      await cli.close();
      await own.close();
    }
  });

  it('rejects the admin API without the admin token', async () => {
    const res = await fetch(`${gateway.url}/v1/admin/keys`, { headers: { authorization: 'Bearer wrong' } });
    assert.equal(res.status, 401);
    assert.deepEqual(((await res.json()) as { error: { code: string } }).error.code, 'UNAUTHORIZED');
  });

  it('creates keys over the admin API, shown once and usable', async () => {
    const res = await fetch(`${gateway.url}/v1/admin/keys`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-secret-token-for-the-limits-tests', 'content-type': 'application/json' },
      body: JSON.stringify({ tier: 'basic', label: 'from admin' }),
    });
    assert.equal(res.status, 201);
    const body = (await res.json()) as { key: string; record: { id: string; tier: string } };
    assert.match(body.key, /^tt_[A-Za-z0-9_-]{32}$/);
    assert.equal(body.record.tier, 'basic');
    const list = (await (
      await fetch(`${gateway.url}/v1/admin/keys`, { headers: { authorization: 'Bearer admin-secret-token-for-the-limits-tests' } })
    ).json()) as { keys: unknown[] };
    assert.ok(!JSON.stringify(list).includes(body.key), 'listing never shows a key');
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'lim_g', apiKey: body.key }));
    await c.until((x) => x.roomInfo !== undefined);
    c.close();
  });

  it('scoped tokens: limited to their creators (4403), expire (4401), and count their sockets', async () => {
    const { key } = await gateway.keys.create('pro');
    const mint = async (body: unknown) => {
      const res = await fetch(`${gateway.url}/v1/jwt`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { token: string; message?: string } };
    };
    const { status, body } = await mint({ creators: ['@Jwt_A'], maxSockets: 1 });
    assert.equal(status, 201);
    const ok = new RawClient(connectUrl(gateway, { uniqueId: 'jwt_a', jwtKey: body.token }));
    await ok.until((x) => x.roomInfo !== undefined);
    const second = new RawClient(connectUrl(gateway, { uniqueId: 'jwt_a', jwtKey: body.token }));
    assert.equal((await second.closed).code, CloseCode.RATE_LIMITED);
    const other = new RawClient(connectUrl(gateway, { uniqueId: 'jwt_b', jwtKey: body.token }));
    const otherClose = await other.closed;
    assert.equal(otherClose.code, CloseCode.FORBIDDEN);
    assert.match(otherClose.reason, /may not watch jwt_b/);
    ok.close();

    const short = await mint({ creators: ['jwt_a'], expiresIn: 1 });
    await new Promise((r) => setTimeout(r, 2100));
    const expired = new RawClient(connectUrl(gateway, { uniqueId: 'jwt_a', jwtKey: short.body.token }));
    const expiredClose = await expired.closed;
    assert.equal(expiredClose.code, CloseCode.UNAUTHORIZED);
    assert.match(expiredClose.reason, /expired/);

    const forged = new RawClient(connectUrl(gateway, { uniqueId: 'jwt_a', jwtKey: body.token.slice(0, -4) + 'AAAA' }));
    assert.equal((await forged.closed).code, CloseCode.UNAUTHORIZED);
    assert.equal((await mint({ creators: [] })).status, 400);
  });

  it('reports tier, limits and usage at /v1/rate_limits with the request limit in X-RateLimit headers', async () => {
    const { key } = await gateway.keys.create('community');
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'lim_h', apiKey: key }));
    await c.until((x) => x.roomInfo !== undefined);
    const res = await fetch(`${gateway.url}/v1/rate_limits`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-ratelimit-limit'), '20');
    assert.equal(res.headers.get('x-ratelimit-remaining'), '20');
    assert.ok(Number(res.headers.get('x-ratelimit-reset')) > Date.now() / 1000);
    const body = (await res.json()) as {
      tier: string;
      limits: { maxSockets: number };
      usage: { sockets: number; connectsThisHour: number };
    };
    assert.equal(body.tier, 'community');
    assert.equal(body.limits.maxSockets, 3);
    assert.equal(body.usage.sockets, 1);
    assert.equal(body.usage.connectsThisHour, 1);
    c.close();
    const unauth = await fetch(`${gateway.url}/v1/rate_limits`);
    assert.equal(unauth.status, 401);
  });

  it('throttles a burst of 1,000 bad keys from one address without reading the database each time', async () => {
    const lookupsBefore = gateway.keys.lookups;
    const codes = new Map<number, number>();
    for (let batch = 0; batch < 10; batch++) {
      const clients = Array.from(
        { length: 100 },
        (_, i) => new RawClient(connectUrl(gateway, { uniqueId: 'lim_i', apiKey: `tt_bad_${batch}_${i}` })),
      );
      for (const c of clients) {
        const { code } = await c.closed;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    assert.ok((codes.get(CloseCode.RATE_LIMITED) ?? 0) >= 950, JSON.stringify([...codes]));
    assert.ok(gateway.keys.lookups - lookupsBefore <= 25, `database read ${gateway.keys.lookups - lookupsBefore} times`);
    const bad = new RawClient(connectUrl(gateway, { uniqueId: 'lim_i', apiKey: 'tt_bad_again' }));
    assert.match((await bad.closed).reason, /too many failed authentications from this address; retry after \d+ s/);
  });

  it('lets a valid key through from an address throttled for bad keys, without a database read per bad key', async () => {
    for (let i = 0; i < 40; i++) await new RawClient(connectUrl(gateway, { uniqueId: 'lim_l', apiKey: `tt_wrong_${i}` })).closed;
    const lookups = gateway.keys.lookups;
    const bad = new RawClient(connectUrl(gateway, { uniqueId: 'lim_l', apiKey: 'tt_wrong_once_more' }));
    assert.equal((await bad.closed).code, CloseCode.RATE_LIMITED);
    assert.equal(gateway.keys.lookups, lookups, 'a throttled bad key costs no database read');
    const valid = new RawClient(connectUrl(gateway, { uniqueId: 'lim_l', apiKey: TEST_KEY }));
    await valid.until((x) => x.roomInfo !== undefined);
    valid.close();
    const created = await gateway.keys.create('community');
    const fresh = new RawClient(connectUrl(gateway, { uniqueId: 'lim_l', apiKey: created.key }));
    await fresh.until((x) => x.roomInfo !== undefined);
    fresh.close();
  });
});

describe('behind a trusted reverse proxy', () => {
  it('throttles failed authentications per forwarded client address, not per proxy', async () => {
    const gateway = await startTestGateway({ trustProxy: true });
    try {
      const from = (address: string, apiKey: string) =>
        new RawClient(connectUrl(gateway, { uniqueId: 'proxied', apiKey }), { headers: { 'x-forwarded-for': `203.0.113.9, ${address}` } });
      for (let i = 0; i < 30; i++) await from('198.51.100.1', `tt_bad_${i}`).closed;
      const attacker = await from('198.51.100.1', 'tt_bad_more').closed;
      assert.equal(attacker.code, CloseCode.RATE_LIMITED);
      const neighbour = from('198.51.100.2', TEST_KEY);
      await neighbour.until((x) => x.roomInfo !== undefined);
      neighbour.close();
    } finally {
      await gateway.close();
    }
  });
});

describe('a killed client process frees its slot', () => {
  it('lets the key connect again after the process holding its only slot is killed', async () => {
    const gateway = await startTestGateway({ pingIntervalMs: 200 });
    try {
      const { key } = await gateway.keys.create('community');
      const url = connectUrl(gateway, { uniqueId: 'lim_j', apiKey: key });
      const held = [1, 2].map(() => new RawClient(url));
      await Promise.all(held.map((c) => c.until((x) => x.roomInfo !== undefined)));
      const child = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import {WebSocket} from 'ws'; const w = new WebSocket(${JSON.stringify(url)}); w.on('message', () => console.log('open'));`,
        ],
        { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await once(child.stdout!, 'data');
      const full = new RawClient(url);
      assert.equal((await full.closed).code, CloseCode.RATE_LIMITED);
      child.kill('SIGKILL');
      await once(child, 'exit');
      const admittedOnce = async () => {
        const c = new RawClient(url);
        const admitted = await Promise.race([c.until((x) => x.roomInfo !== undefined).then(() => true), c.closed.then(() => false)]);
        c.close();
        return admitted;
      };
      await waitFor(admittedOnce, { timeoutMs: 5000, what: 'the slot of the killed process to be freed' });
      for (const c of held) c.close();
    } finally {
      await gateway.close();
    }
  });
});
