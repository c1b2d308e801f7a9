import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { CloseCode } from '@tiktool/protocol';
import type { Gateway } from '../src/index.js';
import { waitFor } from '@tiktool/testkit';
import { RawClient, TEST_KEY, connectUrl, startTestGateway } from './helpers.js';
import { RedisServer } from './cluster-harness.js';
import { ManualClock } from './manual-clock.js';

const MINUTE = 60_000;

function withEvents(clients: RawClient[]): number {
  return clients.filter((c) => c.events().length > 0).length;
}

describe('the sign budget: TIKTOOL_SIGN_RATE calls per minute', () => {
  let emulator: Emulator;
  let gateway: Gateway;
  let clock: ManualClock;
  let clients: RawClient[] = [];
  before(async () => {
    emulator = await startEmulator({ rate: 50 });
  });
  afterEach(async () => {
    for (const c of clients) c.close();
    clients = [];
    await gateway.close();
  });
  after(async () => {
    await emulator.close();
  });

  const start = async (signRatePerMinute: number, signMaxWaitMs = 10 * MINUTE) => {
    clock = new ManualClock();
    gateway = await startTestGateway({
      upstream: 'webcast',
      signRatePerMinute,
      signMaxWaitMs,
      webcast: { ...emulator.upstreamOptions(), clock },
    });
  };
  const signCalls = () => emulator.stats().signCalls;

  it('30 creators at once with 10 per minute: 10 sign calls a minute, and every client gets its events', async () => {
    await start(10);
    const before = signCalls();
    clients = Array.from({ length: 30 }, (_, i) => new RawClient(connectUrl(gateway, { uniqueId: `budget_${i}`, apiKey: TEST_KEY })));
    await waitFor(() => withEvents(clients) === 10 && clock.pending().length === 20, {
      timeoutMs: 10_000,
      what: '10 streaming, 20 waiting',
    });
    assert.equal(signCalls() - before, 10, 'the first minute: 10 sign calls');
    assert.deepEqual(new Set(clock.pending()), new Set([MINUTE, 2 * MINUTE]), 'the others wait for the next minutes');

    clock.advance(MINUTE - 1);
    assert.equal(clock.pending().length, 20, 'nobody starts before the minute is over');
    clock.advance(1);
    await waitFor(() => withEvents(clients) === 20, { timeoutMs: 10_000, what: '20 streaming' });
    assert.equal(signCalls() - before, 20, 'the second minute: 10 more');

    clock.advance(MINUTE);
    await waitFor(() => withEvents(clients) === 30, { timeoutMs: 10_000, what: '30 streaming' });
    assert.equal(signCalls() - before, 30);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.match(metrics, /tiktool_sign_calls_total\{outcome="ok"\} 30/);
    assert.match(metrics, /tiktool_sign_wait_seconds_count 20/);
  });

  it('a client whose slot is further away than the longest wait is told when to come back', async () => {
    await start(1, MINUTE);
    clients = [1, 2, 3].map((i) => new RawClient(connectUrl(gateway, { uniqueId: `late_${i}`, apiKey: TEST_KEY })));
    const { code, reason } = await clients[2]!.closed;
    assert.equal(code, CloseCode.TRY_AGAIN_LATER);
    assert.match(reason, /sign provider budget \(1 per minute\) is used up: retry after 120 s/);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.match(metrics, /tiktool_sign_refusals_total 1/);
  });

  it('a 429 with Retry-After: 5 is honoured: the next sign call waits 5 s', async () => {
    await start(0);
    emulator.rateLimitSign(1, 5);
    const before = signCalls();
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'retry_after', apiKey: TEST_KEY }));
    clients = [c];
    await waitFor(() => clock.pending().length === 1, { timeoutMs: 10_000, what: 'the retry to be scheduled' });
    assert.deepEqual(clock.pending(), [5_000], 'the retry is due in 5 s');
    assert.equal(signCalls() - before, 1);
    clock.advance(4_999);
    assert.deepEqual(clock.pending(), [1]);
    clock.advance(1);
    await c.until((x) => x.events().length > 0);
    assert.equal(signCalls() - before, 2);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.match(metrics, /tiktool_sign_calls_total\{outcome="rate_limited"\} 1/);
  });
});

describe('cluster mode: one sign budget for every node', () => {
  let redis: RedisServer;
  let emulator: Emulator;
  let nodes: Gateway[];
  const clients: RawClient[] = [];
  const clock = new ManualClock();
  before(async () => {
    redis = await RedisServer.start();
    emulator = await startEmulator({ rate: 50 });
    nodes = await Promise.all(
      [1, 2].map(() =>
        startTestGateway({
          upstream: 'webcast',
          redisUrl: redis.url,
          signRatePerMinute: 4,
          signMaxWaitMs: 10 * MINUTE,
          webcast: { ...emulator.upstreamOptions(), clock },
        }),
      ),
    );
  });
  after(async () => {
    for (const c of clients) c.close();
    await Promise.all(nodes.map((n) => n.close()));
    await emulator.close();
    await redis.stop();
  });

  it('4 per minute across two nodes: 8 creators take two minutes, 4 sign calls in each', async () => {
    const before = emulator.stats().signCalls;
    for (let i = 0; i < 8; i++) {
      clients.push(new RawClient(connectUrl(nodes[i % 2]!, { uniqueId: `shared_budget_${i}`, apiKey: TEST_KEY })));
    }
    await waitFor(() => withEvents(clients) === 4 && clock.pending().length === 4, { timeoutMs: 10_000, what: '4 streaming, 4 waiting' });
    assert.equal(emulator.stats().signCalls - before, 4, 'the first minute: 4 sign calls for the cluster');
    assert.deepEqual(clock.pending(), [MINUTE, MINUTE, MINUTE, MINUTE]);
    clock.advance(MINUTE);
    await waitFor(() => withEvents(clients) === 8, { timeoutMs: 10_000, what: '8 streaming' });
    assert.equal(emulator.stats().signCalls - before, 8);
  });
});
