import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { TikTokLive, type DisconnectedEvent, type TikTokLiveOptions } from '../src/index.js';
import { ScriptedGateway, type Script } from './scripted-gateway.js';
import { FAST_RECONNECT, nextEvent } from './helpers.js';

const UPSTREAM_FAILED = 'TikTok failed after retries: sign provider answered 503';

let gateway: ScriptedGateway | undefined;
let client: TikTokLive | undefined;

afterEach(async () => {
  client?.disconnect();
  client = undefined;
  await gateway?.stop();
  gateway = undefined;
});

async function setup(script: Script, reconnect: TikTokLiveOptions['reconnect'] = FAST_RECONNECT) {
  gateway = await ScriptedGateway.start(script);
  client = new TikTokLive('streamer', { apiKey: 'key_1', url: gateway.url, reconnect });
  return { gateway, client };
}

/** Every `disconnected` event of the client, as it happens. */
function disconnects(c: TikTokLive): DisconnectedEvent[] {
  const seen: DisconnectedEvent[] = [];
  c.on('disconnected', (e) => seen.push(e));
  return seen;
}

describe('reconnects that keep failing the same way', () => {
  it('stop after reconnect.maxFailedReconnects with the last reason', { timeout: 10_000 }, async () => {
    const { gateway, client } = await setup((c) => c.close(4500, UPSTREAM_FAILED), { ...FAST_RECONNECT, maxFailedReconnects: 3 });
    const seen = disconnects(client);
    await assert.rejects(client.connect(), (e: Error & Record<string, unknown>) => {
      assert.equal(e.code, 'ERR_RECONNECT_EXHAUSTED');
      assert.equal(e.closeCode, 4500);
      assert.equal(e.reason, UPSTREAM_FAILED);
      assert.match(e.message, new RegExp(`last close: 4500 UPSTREAM_FAILED \\(${UPSTREAM_FAILED}\\)`));
      return true;
    });
    assert.equal(gateway.connections.length, 4, 'the first connect and 3 reconnects');
    assert.equal(client.state, 'closed');
    const last = seen.at(-1)!;
    assert.equal(last.willReconnect, false);
    assert.equal(last.error?.code, 'ERR_RECONNECT_EXHAUSTED');
  });

  it('stop after 8 by default', { timeout: 20_000 }, async () => {
    const { gateway, client } = await setup((c) => c.close(4500, UPSTREAM_FAILED));
    await assert.rejects(client.connect(), { code: 'ERR_RECONNECT_EXHAUSTED', closeCode: 4500 });
    assert.equal(gateway.connections.length, 9);
  });

  it('count again after a connection that reached roomInfo', { timeout: 10_000 }, async () => {
    // Every third connection works for a moment, then fails like the others: never 3 failed reconnects in a row.
    const { gateway, client } = await setup(
      (c, i) => {
        if (i % 3 === 2) c.roomInfo();
        c.close(4500, UPSTREAM_FAILED);
      },
      { ...FAST_RECONNECT, maxFailedReconnects: 3 },
    );
    void client.connect().catch(() => undefined);
    await gateway.connectionCount(10);
    assert.notEqual(client.state, 'closed');
  });

  it('do not add up failures that differ', { timeout: 10_000 }, async () => {
    const { gateway, client } = await setup((c, i) => c.close(4500, i % 2 ? 'room lookup answered 500' : UPSTREAM_FAILED), {
      ...FAST_RECONNECT,
      maxFailedReconnects: 2,
    });
    void client.connect().catch(() => undefined);
    await gateway.connectionCount(8);
    assert.notEqual(client.state, 'closed');
  });
});

describe('a gateway that cannot be reached', () => {
  it('is said in each disconnected event, and connect() rejects with ERR_UNREACHABLE after the reconnects', {
    timeout: 10_000,
  }, async () => {
    const { gateway } = await setup(() => {});
    const url = gateway.url;
    await gateway.stop();
    client = new TikTokLive('streamer', { apiKey: 'key_1', url, reconnect: { ...FAST_RECONNECT, maxFailedReconnects: 2 } });
    const seen = disconnects(client);
    const first = nextEvent(client, 'disconnected');
    const expected = `cannot reach the gateway at ${url}/ (ECONNREFUSED)`;
    await assert.rejects(client.connect(), (e: Error & Record<string, unknown>) => {
      assert.equal(e.code, 'ERR_UNREACHABLE');
      assert.equal(e.closeCode, 1006);
      assert.equal(e.message, `${expected}; gave up after 2 reconnect attempts`);
      return true;
    });
    const [firstEvent] = await first;
    assert.equal(firstEvent.code, 1006);
    assert.equal(firstEvent.willReconnect, true);
    assert.equal(firstEvent.error?.code, 'ERR_UNREACHABLE');
    assert.equal(firstEvent.error?.message, expected);
    assert.deepEqual(
      seen.map((e) => e.willReconnect),
      [true, true, false],
    );
  });
});
