import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCode, retryAfterSeconds } from '@tiktool/protocol';
import type { Gateway } from '../src/index.js';
import { RawClient, connectUrl, startTestGateway } from './helpers.js';

const ADMIN = 'admin-token-for-the-token-tests-000000001';

interface Minted {
  status: number;
  body: { token: string; error?: { code: string; message: string } };
  retryAfter: string | null;
}

async function mint(gateway: Gateway, key: string, body: unknown): Promise<Minted> {
  const res = await fetch(`${gateway.url}/v1/jwt`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Minted['body'], retryAfter: res.headers.get('retry-after') };
}

async function patchKey(gateway: Gateway, id: string, body: unknown): Promise<void> {
  const res = await fetch(`${gateway.url}/v1/admin/keys/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200);
}

/** Opens a socket and resolves with whether it got its roomInfo, or how it was closed. */
async function attempt(url: string, options?: ConstructorParameters<typeof RawClient>[1]) {
  const c = new RawClient(url, options);
  const admitted = await Promise.race([c.until((x) => x.roomInfo !== undefined).then(() => true), c.closed.then(() => false)]);
  return { client: c, admitted, closed: admitted ? undefined : await c.closed };
}

describe('scoped tokens count against their key', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startTestGateway({ adminToken: ADMIN });
  });
  after(() => gateway.close());

  it('a community key with several tokens holds 3 sockets in total', async () => {
    const { key } = await gateway.keys.create('community');
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) tokens.push((await mint(gateway, key, { creators: ['tok_a'], maxSockets: 3 })).body.token);
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await attempt(connectUrl(gateway, { uniqueId: 'tok_a', jwtKey: tokens[i % 4] })));
    assert.equal(results.filter((r) => r.admitted).length, 3);
    for (const r of results.filter((x) => !x.admitted)) {
      assert.equal(r.closed!.code, CloseCode.RATE_LIMITED);
      assert.match(r.closed!.reason, /concurrent sockets: tier community allows 3/);
    }
    const byKey = await attempt(connectUrl(gateway, { uniqueId: 'tok_a', apiKey: key }));
    assert.equal(byKey.admitted, false, 'the key itself has no slot left either');
    for (const r of results) r.client.close();
  });

  it("a community key's hourly connect limit holds across all its tokens", async () => {
    const { key } = await gateway.keys.create('community');
    let connects = 0;
    let refused: { code: number; reason: string } | undefined;
    for (let t = 0; t < 7 && !refused; t++) {
      const { token } = (await mint(gateway, key, { creators: ['tok_b'], maxSockets: 1 })).body;
      for (let i = 0; i < 10 && !refused; i++) {
        const r = await attempt(connectUrl(gateway, { uniqueId: 'tok_b', jwtKey: token }));
        if (!r.admitted) refused = r.closed;
        else {
          connects++;
          r.client.close();
          await r.client.closed;
        }
      }
    }
    assert.equal(connects, 60);
    assert.equal(refused?.code, CloseCode.RATE_LIMITED);
    assert.match(refused!.reason, /too many connects: tier community allows 60 per hour/);
  });

  it("a token's own socket limit narrows the key's, and its reason names the token", async () => {
    const { key } = await gateway.keys.create('pro');
    const { token } = (await mint(gateway, key, { creators: ['tok_c'], maxSockets: 1 })).body;
    const first = await attempt(connectUrl(gateway, { uniqueId: 'tok_c', jwtKey: token }));
    assert.ok(first.admitted);
    const second = await attempt(connectUrl(gateway, { uniqueId: 'tok_c', jwtKey: token }));
    assert.equal(second.closed?.code, CloseCode.RATE_LIMITED);
    assert.match(second.closed!.reason, /too many concurrent sockets: this token allows 1; retry after \d+ s/);
    first.client.close();
  });

  it('POST /v1/jwt is rate limited per key, with a JSON error and Retry-After', async () => {
    const { key } = await gateway.keys.create('ultra');
    for (let i = 0; i < 60; i++) assert.equal((await mint(gateway, key, { creators: ['tok_d'] })).status, 201);
    const refused = await mint(gateway, key, { creators: ['tok_d'] });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error?.code, 'RATE_LIMITED');
    assert.match(refused.body.error!.message, /tokens: a key may mint 60 per minute; retry after \d+ s/);
    assert.ok(Number(refused.retryAfter) > 0 && Number(refused.retryAfter) <= 60);
    const other = await gateway.keys.create('ultra');
    assert.equal((await mint(gateway, other.key, { creators: ['tok_d'] })).status, 201, 'another key is not affected');
  });

  it("narrowing the key's creators, origins and tier applies to tokens already minted", async () => {
    const { key, record } = await gateway.keys.create('pro');
    const { token } = (await mint(gateway, key, { creators: ['tok_e', 'tok_f'], maxSockets: 5 })).body;
    await patchKey(gateway, record.id, {
      allowedCreators: ['tok_e'],
      allowedOrigins: ['https://ok.example'],
      tier: 'community',
    });
    const dropped = await attempt(connectUrl(gateway, { uniqueId: 'tok_f', jwtKey: token }));
    assert.equal(dropped.closed?.code, CloseCode.FORBIDDEN);
    assert.match(dropped.closed!.reason, /may not watch tok_f/);
    const badOrigin = await attempt(connectUrl(gateway, { uniqueId: 'tok_e', jwtKey: token }), {
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(badOrigin.closed?.code, CloseCode.FORBIDDEN);
    const open = [];
    for (let i = 0; i < 4; i++) {
      open.push(await attempt(connectUrl(gateway, { uniqueId: 'tok_e', jwtKey: token }), { headers: { origin: 'https://ok.example' } }));
    }
    assert.deepEqual(
      open.map((r) => r.admitted),
      [true, true, true, false],
      'the community tier holds 3 sockets',
    );
    assert.match(open[3].closed!.reason, /tier community allows 3/);
    for (const r of open) r.client.close();
  });

  it('POST /v1/jwt answers 400 with a JSON message for a malformed creator', async () => {
    const { key } = await gateway.keys.create('pro');
    const res = await mint(gateway, key, { creators: ['tiktok.com/@%E0%A4%A'] });
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.code, 'INVALID_PARAM');
    assert.match(res.body.error!.message, /creators: uniqueId/);
  });
});

describe('the creators-at-once limit bounds upstreams', () => {
  it('refuses a 4th distinct creator within the linger, and frees the slot when it has passed', async () => {
    const gateway = await startTestGateway({ upstreamLingerMs: 1500 });
    try {
      const { key } = await gateway.keys.create('community');
      const before = gateway.hub.upstreamsOpened;
      const outcomes = [];
      for (let i = 0; i < 8; i++) {
        const r = await attempt(connectUrl(gateway, { uniqueId: `cyc_${i}`, apiKey: key }));
        if (r.admitted) {
          r.client.close();
          await r.client.closed;
        }
        outcomes.push(r);
      }
      assert.deepEqual(
        outcomes.map((r) => r.admitted),
        [true, true, true, false, false, false, false, false],
      );
      assert.ok(gateway.hub.upstreamsOpened - before <= 3, `${gateway.hub.upstreamsOpened - before} upstreams opened`);
      const refused = outcomes[3].closed!;
      assert.equal(refused.code, CloseCode.RATE_LIMITED);
      assert.match(refused.reason, /too many creators at once: tier community allows 3/);
      const wait = retryAfterSeconds(refused.reason)!;
      assert.ok(wait >= 1 && wait <= 2, `retry after ${wait} s`);
      await new Promise((r) => setTimeout(r, wait * 1000));
      const later = await attempt(connectUrl(gateway, { uniqueId: 'cyc_3', apiKey: key }));
      assert.ok(later.admitted, `admitted once the linger passed: ${later.closed?.reason}`);
      later.client.close();
    } finally {
      await gateway.close();
    }
  });
});
