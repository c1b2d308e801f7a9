import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CloseCode } from '@tiktool/protocol';
import { loadConfig, type Gateway } from '../src/index.js';
import { ConfigError } from '../src/errors.js';
import { RawClient, connectUrl, startTestGateway } from './helpers.js';

const ADMIN = 'admin-token-for-the-admin-tests-00000001';

describe('the admin API', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startTestGateway({ adminToken: ADMIN, trustProxy: true });
  });
  after(() => gateway.close());

  const admin = (path: string, init: RequestInit & { from?: string; token?: string } = {}) =>
    fetch(`${gateway.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${init.token ?? ADMIN}`,
        'content-type': 'application/json',
        'x-forwarded-for': init.from ?? '192.0.2.1',
      },
    });

  it('throttles failed admin tokens per address, like failed keys', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await admin('/v1/admin/keys', { from: '198.51.100.7', token: `guess-${i}` });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    assert.deepEqual([...new Set(statuses.slice(0, 20))], [401]);
    assert.deepEqual([...new Set(statuses.slice(20))], [429]);
    const throttled = await admin('/v1/admin/keys', { from: '198.51.100.7' });
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.headers.get('retry-after')) > 0);
    const { error } = (await throttled.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, 'RATE_LIMITED');
    assert.match(error.message, /too many failed authentications from this address; retry after \d+ s/);
    const neighbour = await admin('/v1/admin/keys', { from: '198.51.100.8' });
    assert.equal(neighbour.status, 200);
  });

  it('PATCH with "allowedCreators": null clears the list', async () => {
    const created = await admin('/v1/admin/keys', {
      method: 'POST',
      body: JSON.stringify({ tier: 'pro', allowedCreators: ['adm_only'] }),
    });
    const { key, record } = (await created.json()) as { key: string; record: { id: string } };
    const scoped = new RawClient(connectUrl(gateway, { uniqueId: 'adm_other', apiKey: key }));
    assert.equal((await scoped.closed).code, CloseCode.FORBIDDEN);
    const patched = await admin(`/v1/admin/keys/${record.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ allowedCreators: null }),
    });
    assert.equal(patched.status, 200);
    assert.equal(((await patched.json()) as { record: { allowedCreators: unknown } }).record.allowedCreators, null);
    const open = new RawClient(connectUrl(gateway, { uniqueId: 'adm_other', apiKey: key }));
    await open.until((c) => c.roomInfo !== undefined);
    open.close();
  });
});

describe('the admin token at start', () => {
  it('refuses a TIKTOOL_ADMIN_TOKEN shorter than 32 characters with a clear message', () => {
    assert.throws(
      () => loadConfig({ TIKTOOL_ADMIN_TOKEN: 'short-admin-token' }),
      (err: unknown) => err instanceof ConfigError && /TIKTOOL_ADMIN_TOKEN must be at least 32 characters \(it has 17\)/.test(err.message),
    );
    assert.equal(loadConfig({ TIKTOOL_ADMIN_TOKEN: 'x'.repeat(32) }).adminToken, 'x'.repeat(32));
  });

  it('the gateway process exits non-zero and says why', { timeout: 15_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiktool-admin-'));
    const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url));
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--host', '127.0.0.1'], {
      env: { ...process.env, TIKTOOL_UPSTREAM: 'emulator', TIKTOOL_DB: join(dir, 'db.sqlite'), TIKTOOL_ADMIN_TOKEN: 'short-admin-token' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.notEqual(code, 0);
    assert.match(output, /TIKTOOL_ADMIN_TOKEN must be at least 32 characters/);
    assert.ok(!output.includes('short-admin-token'), 'the token itself is not printed');
  });
});
