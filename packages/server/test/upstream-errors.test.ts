import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { CloseCode } from '@tiktool/protocol';
import type { Gateway } from '../src/index.js';
import { RawClient, TEST_KEY, connectUrl, startTestGateway } from './helpers.js';

describe("TikTok's failures reach clients as clear close codes", () => {
  let emulator: Emulator;
  let gateway: Gateway;
  before(async () => {
    emulator = await startEmulator({ rate: 50, creators: { offline: ['sleepy'], missing: ['nobody_here'] } });
    gateway = await startTestGateway({
      upstream: 'webcast',
      webcast: { ...emulator.upstreamOptions(), signRetries: 2, signRetryBaseMs: 10, signRetryMaxMs: 20 },
    });
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('a creator who is not live closes 4404', async () => {
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'sleepy', apiKey: TEST_KEY }));
    const { code, reason } = await c.closed;
    assert.equal(code, CloseCode.NOT_FOUND);
    assert.match(reason, /not live|offline/i);
  });

  it('a user who does not exist closes 4404', async () => {
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'nobody_here', apiKey: TEST_KEY }));
    assert.equal((await c.closed).code, CloseCode.NOT_FOUND);
  });

  it('the end of the LIVE reaches every client as streamEnd, then close 4005', async () => {
    const clients = [1, 2].map(() => new RawClient(connectUrl(gateway, { uniqueId: 'ending', apiKey: TEST_KEY })));
    await Promise.all(clients.map((c) => c.until((x) => x.events().length > 0)));
    emulator.endStream('ending');
    for (const c of clients) {
      const closed = await c.closed;
      assert.equal(closed.code, CloseCode.STREAM_END);
      const last = c.messages[c.messages.length - 1];
      assert.equal(last.event, 'streamEnd');
      assert.equal(last.data.reason, 'ended');
    }
  });

  it('a sign provider that keeps answering 429 closes 4500 with a reason that says so', async () => {
    emulator.rateLimitSign(10);
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'rate_limited', apiKey: TEST_KEY }));
    const { code, reason } = await c.closed;
    assert.equal(code, CloseCode.UPSTREAM_FAILED);
    assert.match(reason, /rate limit|429/i);
    emulator.rateLimitSign(0);
  });

  it('a push handshake TikTok rejects closes 4500 naming the rejection', async () => {
    emulator.rejectHandshake('refused', true);
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'refused', apiKey: TEST_KEY }));
    const { code, reason } = await c.closed;
    assert.equal(code, CloseCode.UPSTREAM_FAILED);
    assert.match(reason, /handshake/i);
  });
});
