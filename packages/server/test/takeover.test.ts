import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCode, closeCodeInfo } from '@tiktool/protocol';
import { TikTokLive, TikTokLiveError } from '@tiktool/live';
import type { Gateway } from '../src/index.js';
import { waitFor } from '@tiktool/testkit';
import { RawClient, TEST_KEY, connectUrl, startTestGateway } from './helpers.js';

describe('resuming a session', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startTestGateway();
  });
  after(() => gateway.close());

  it('closes the older socket of a session resumed elsewhere with 4409 SESSION_TAKEN_OVER', async () => {
    const first = new RawClient(connectUrl(gateway, { uniqueId: 'take_a', apiKey: TEST_KEY }));
    await first.until((c) => c.roomInfo !== undefined);
    const sessionId = String(first.roomInfo!.data.sessionId);
    const second = new RawClient(connectUrl(gateway, { uniqueId: 'take_a', apiKey: TEST_KEY, sessionId }));
    const closed = await first.closed;
    assert.equal(closed.code, CloseCode.SESSION_TAKEN_OVER);
    assert.equal(closed.reason, 'the session was resumed on another connection');
    assert.equal(closeCodeInfo(4409).reconnect, 'none');
    await second.until((c) => c.events().length > 0);
    second.close();
  });

  it('the SDK stops with a clear error when its session is taken over, and does not reconnect', async () => {
    const client = new TikTokLive('take_b', { apiKey: TEST_KEY, url: gateway.wsUrl });
    const disconnects: { code: number; reason: string; willReconnect: boolean }[] = [];
    client.on('disconnected', (d) => void disconnects.push(d));
    const iterator = client[Symbol.asyncIterator]();
    await client.connect();
    const thief = new RawClient(connectUrl(gateway, { uniqueId: 'take_b', apiKey: TEST_KEY, sessionId: client.sessionId! }));
    await thief.until((c) => c.roomInfo !== undefined);
    await waitFor(() => client.state === 'closed', { timeoutMs: 5000, what: 'the SDK to stop' });
    assert.deepEqual(disconnects, [
      { code: CloseCode.SESSION_TAKEN_OVER, reason: 'the session was resumed on another connection', willReconnect: false },
    ]);
    await assert.rejects(
      (async () => {
        while (!(await iterator.next()).done);
      })(),
      (err: unknown) =>
        err instanceof TikTokLiveError && err.code === 'ERR_CONNECTION_CLOSED' && /4409 SESSION_TAKEN_OVER/.test(err.message),
    );
    const seen = thief.events().length;
    await thief.until((c) => c.events().length >= seen + 20);
    assert.equal(client.state, 'closed', 'still stopped: it did not take the session back');
    assert.equal(thief.ws.readyState, thief.ws.OPEN);
    thief.close();
  });

  it('a resume that asks for a different events filter gets that filter', async () => {
    const first = new RawClient(connectUrl(gateway, { uniqueId: 'take_c', apiKey: TEST_KEY, events: 'chat' }));
    await first.until((c) => c.events().length > 0);
    const sessionId = String(first.roomInfo!.data.sessionId);
    first.close();
    await first.closed;
    const resumed = new RawClient(connectUrl(gateway, { uniqueId: 'take_c', apiKey: TEST_KEY, events: 'like', sessionId }));
    await resumed.until((c) => c.events().length >= 5);
    assert.equal(resumed.roomInfo!.data.resumed, true);
    assert.deepEqual([...new Set(resumed.events().map((e) => e.event))], ['like']);
    resumed.close();
  });
});
