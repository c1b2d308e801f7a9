import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCode } from '@tiktool/protocol';
import type { Gateway } from '../src/index.js';
import { RawClient, TEST_KEY, capturedLogs, connectUrl, startTestGateway } from './helpers.js';

describe('bad input gets a clear close code and the gateway keeps serving', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startTestGateway();
  });
  after(() => gateway.close());

  it('closes 4401 without an API key, saying how to pass one', async () => {
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'alice' }));
    const { code, reason } = await c.closed;
    assert.equal(code, CloseCode.UNAUTHORIZED);
    assert.match(reason, /missing API key/);
  });

  it('closes 4401 for an unknown key', async () => {
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'alice', apiKey: 'tt_not_a_real_key' }));
    const { code, reason } = await c.closed;
    assert.equal(code, CloseCode.UNAUTHORIZED);
    assert.match(reason, /invalid or revoked/);
  });

  it('closes 4400 when uniqueId is missing or not a username', async () => {
    for (const uniqueId of [undefined, '', 'a', 'has space', 'x'.repeat(30), '<script>']) {
      const params: Record<string, string> = { apiKey: TEST_KEY };
      if (uniqueId !== undefined) params.uniqueId = uniqueId;
      const c = new RawClient(connectUrl(gateway, params));
      const { code, reason } = await c.closed;
      assert.equal(code, CloseCode.INVALID_PARAMS, `uniqueId=${uniqueId}`);
      assert.match(reason, /uniqueId/);
    }
  });

  it('closes 4400 for an unknown event name or a malformed lastSeq', async () => {
    const a = new RawClient(connectUrl(gateway, { uniqueId: 'alice', apiKey: TEST_KEY, events: 'chat,bogus' }));
    assert.deepEqual(await a.closed, { code: CloseCode.INVALID_PARAMS, reason: 'unknown event "bogus" in events' });
    const b = new RawClient(connectUrl(gateway, { uniqueId: 'alice', apiKey: TEST_KEY, lastSeq: '-3' }));
    assert.equal((await b.closed).code, CloseCode.INVALID_PARAMS);
  });

  it('closes 4400 with a reason for malformed percent-encoding, all-dots names and batch=2, logging no error', async () => {
    const logged = capturedLogs.length;
    const cases: [Record<string, string>, RegExp][] = [
      [{ uniqueId: 'tiktok.com/@%E0%A4%A' }, /uniqueId.*percent-encoding/],
      [{ uniqueId: '%E0%A4%A' }, /uniqueId/],
      [{ uniqueId: '..' }, /uniqueId/],
      [{ uniqueId: 'alice', batch: '2' }, /batch must be 0, 1, true or false/],
    ];
    for (const [params, reason] of cases) {
      const c = new RawClient(connectUrl(gateway, { ...params, apiKey: TEST_KEY }));
      const closed = await c.closed;
      assert.equal(closed.code, CloseCode.INVALID_PARAMS, JSON.stringify(params));
      assert.match(closed.reason, reason);
    }
    const errors = capturedLogs.slice(logged).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    assert.deepEqual(errors, [], 'bad input is not an internal error');
  });

  it('accepts @name and profile URLs as uniqueId, normalised', async () => {
    for (const uniqueId of ['@Carol_Live', 'https://www.tiktok.com/@carol_live/live']) {
      const c = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
      await c.until((x) => x.roomInfo !== undefined);
      assert.equal(c.roomInfo!.data.uniqueId, 'carol_live');
      c.close();
    }
  });

  it('closes 1008 on junk and 1009 on oversized frames, and other clients keep receiving', async () => {
    const bystander = new RawClient(connectUrl(gateway, { uniqueId: 'dave', apiKey: TEST_KEY }));
    await bystander.until((c) => c.events().length > 0);

    const junk = new RawClient(connectUrl(gateway, { uniqueId: 'dave', apiKey: TEST_KEY }));
    await junk.opened;
    junk.ws.send('this is not json {{{');
    assert.equal((await junk.closed).code, CloseCode.POLICY_VIOLATION);

    const binary = new RawClient(connectUrl(gateway, { uniqueId: 'dave', apiKey: TEST_KEY }));
    await binary.opened;
    binary.ws.send(Buffer.from([1, 2, 3]));
    assert.equal((await binary.closed).code, CloseCode.POLICY_VIOLATION);

    const big = new RawClient(connectUrl(gateway, { uniqueId: 'dave', apiKey: TEST_KEY }));
    await big.opened;
    big.ws.send(JSON.stringify({ pad: 'x'.repeat(64 * 1024) }));
    assert.equal((await big.closed).code, CloseCode.MESSAGE_TOO_BIG);

    const before = bystander.events().length;
    await bystander.until((c) => c.events().length > before + 5);
    bystander.close();
  });

  it('answers 404 to an upgrade on an unknown path', async () => {
    const c = new RawClient(`${gateway.wsUrl}/nope?uniqueId=alice&apiKey=${TEST_KEY}`);
    await assert.rejects(c.opened, /404/);
  });

  it('never writes a key to its logs', () => {
    assert.ok(capturedLogs.length > 0, 'the gateway logged connections');
    for (const line of capturedLogs) {
      assert.ok(!line.includes(TEST_KEY), `log line leaks the key: ${line}`);
      assert.ok(!line.includes('tt_not_a_real_key'), `log line leaks a presented key: ${line}`);
    }
  });
});
