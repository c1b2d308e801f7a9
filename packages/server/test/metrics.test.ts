import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@tiktool/testkit';
import { CloseCode } from '@tiktool/protocol';
import { CLOSE_HANDSHAKE_TIMEOUT_MS } from '../src/hub/socket-close.js';
import type { Emulator } from '@tiktool/emulator';
import type { Gateway } from '../src/index.js';
import { RawClient, TEST_KEY, capturedLogs, connectUrl, startEmulatedGateway } from './helpers.js';

/** One scrape of /metrics: each sample line by its series (`name{labels}`). */
async function scrape(gateway: Gateway): Promise<Map<string, number>> {
  const res = await fetch(`${gateway.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** Scrapes until the predicate holds: the server sees a close a moment after the client does. */
async function scrapeUntil(
  gateway: Gateway,
  predicate: (m: Map<string, number>) => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<Map<string, number>> {
  let samples = new Map<string, number>();
  await waitFor(
    async () => {
      samples = await scrape(gateway);
      return predicate(samples);
    },
    { timeoutMs, what },
  );
  return samples;
}

/** Stops reading the client's TCP socket: the kernel buffers fill, then the gateway's send queue. */
function stopReading(client: RawClient): { resume(): void } {
  const socket = (client.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  socket.pause();
  return socket;
}

/** Emits until the gateway has closed every subscriber of the creator (their queues overflowed). */
async function overflow(gateway: Gateway, emulator: Emulator, uniqueId: string): Promise<void> {
  const creator = gateway.hub.get(uniqueId)!;
  const deadline = Date.now() + 20_000;
  while (![...creator.subscribers].every((s) => s.isClosed)) {
    if (Date.now() > deadline) throw new Error(`the send queues of ${uniqueId}'s clients never filled`);
    emulator.emit(uniqueId, 2000);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function value(samples: Map<string, number>, series: string): number {
  const v = samples.get(series);
  assert.ok(v !== undefined, `${series} is exported`);
  return v;
}

describe('GET /metrics', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  before(async () => {
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 100, sendQueueMaxBytes: 64 * 1024 }));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('exports the process metrics, event loop lag included', async () => {
    const m = await scrape(gateway);
    for (const name of ['nodejs_eventloop_lag_seconds', 'process_resident_memory_bytes', 'tiktool_creators_upstream']) {
      assert.ok(m.has(name), name);
    }
  });

  it('counts events in and out, bytes, sockets by tier and creators as traffic flows', async () => {
    const before = await scrape(gateway);
    const clients = [0, 1].map(() => new RawClient(connectUrl(gateway, { uniqueId: 'metrics_a', apiKey: TEST_KEY })));
    await Promise.all(clients.map((c) => c.until((x) => x.events().length >= 30)));

    const during = await scrape(gateway);
    assert.equal(value(during, 'tiktool_sockets_open{tier="ultra"}'), 2);
    assert.equal(value(during, 'tiktool_creators_upstream'), 1);
    assert.ok(value(during, 'tiktool_events_in_total{event="chat"}') > (before.get('tiktool_events_in_total{event="chat"}') ?? 0));
    const received = clients.reduce((n, c) => n + c.events().length, 0);
    const out = value(during, 'tiktool_events_out_total') - (before.get('tiktool_events_out_total') ?? 0);
    assert.ok(out >= received, `events out ${out} >= the ${received} the clients have read`);
    assert.ok(value(during, 'tiktool_bytes_out_total') > value(before, 'tiktool_bytes_out_total'));

    for (const c of clients) c.close();
    const closed = await scrapeUntil(gateway, (m) => m.get('tiktool_sockets_open{tier="ultra"}') === 0, 'sockets closed');
    assert.ok(value(closed, 'tiktool_events_out_total') >= value(during, 'tiktool_events_out_total'), 'a counter never goes down');
  });

  it('counts close codes sent, slow-consumer closes and resume outcomes', async () => {
    const before = await scrape(gateway);
    const bad = new RawClient(connectUrl(gateway, { uniqueId: 'metrics_b', apiKey: 'tt_wrong' }));
    assert.equal((await bad.closed).code, CloseCode.UNAUTHORIZED);

    const first = new RawClient(connectUrl(gateway, { uniqueId: 'metrics_b', apiKey: TEST_KEY }));
    await first.until((c) => c.events().length >= 5);
    const reading = stopReading(first);
    await overflow(gateway, emulator, 'metrics_b');
    reading.resume();
    assert.equal((await first.closed).code, CloseCode.SLOW_CONSUMER);
    const { sessionId } = first.roomInfo!.data as { sessionId: string };
    const lastSeq = first.events().at(-1)!.seq!;
    const second = new RawClient(connectUrl(gateway, { uniqueId: 'metrics_b', apiKey: TEST_KEY, sessionId, lastSeq }));
    await second.until((c) => c.roomInfo !== undefined);
    assert.equal(second.roomInfo!.data.recovered, true);
    second.close();
    const after = await scrapeUntil(gateway, (m) => m.get('tiktool_sockets_open{tier="ultra"}') === 0, 'sockets closed');
    const moved = (series: string) => value(after, series) - (before.get(series) ?? 0);
    assert.equal(moved('tiktool_close_codes_sent_total{code="4401"}'), 1);
    assert.equal(moved('tiktool_close_codes_sent_total{code="4008"}'), 1);
    assert.equal(moved('tiktool_slow_consumer_closes_total'), 1);
    assert.equal(moved('tiktool_resumes_total{outcome="recovered"}'), 1);
    assert.equal(moved('tiktool_resumes_total{outcome="not_recovered"}'), 0);
    assert.equal(
      after.get('tiktool_close_codes_sent_total{code="1000"}'),
      before.get('tiktool_close_codes_sent_total{code="1000"}'),
      "a client's own close is not counted as sent",
    );
  });

  it('counts and logs a client that never reads as a slow consumer (4008), though it never gets the close frame', async () => {
    const before = await scrape(gateway);
    const logged = capturedLogs.length;
    const deaf = new RawClient(connectUrl(gateway, { uniqueId: 'metrics_deaf', apiKey: TEST_KEY }));
    await deaf.until((c) => c.events().length >= 1);
    stopReading(deaf);
    await overflow(gateway, emulator, 'metrics_deaf');
    // Cut once the close handshake times out (CLOSE_HANDSHAKE_TIMEOUT_MS): the client never reads the close frame.
    const after = await scrapeUntil(
      gateway,
      (m) => m.get('tiktool_sockets_open{tier="ultra"}') === 0,
      'the never-reading socket cut',
      CLOSE_HANDSHAKE_TIMEOUT_MS + 10_000,
    );
    const moved = (series: string) => value(after, series) - (before.get(series) ?? 0);
    assert.equal(moved('tiktool_close_codes_sent_total{code="4008"}'), 1);
    assert.equal(moved('tiktool_slow_consumer_closes_total'), 1);
    assert.equal(after.get('tiktool_close_codes_sent_total{code="1006"}'), undefined, '1006 is not a code the gateway sends');
    const closedLine = capturedLogs
      .slice(logged)
      .map((l) => JSON.parse(l) as { msg: string; creator?: string; closeCode?: number })
      .find((l) => l.msg === 'connection closed' && l.creator === 'metrics_deaf');
    assert.equal(closedLine?.closeCode, CloseCode.SLOW_CONSUMER);
    deaf.ws.terminate();
  });

  it('counts upstream reconnects and their errors by code', async () => {
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'metrics_c', apiKey: TEST_KEY }));
    await c.until((x) => x.events().length > 0);
    const before = await scrape(gateway);
    emulator.drop('metrics_c');
    const seen = c.events().length;
    await c.until((x) => x.events().length > seen + 10);
    const after = await scrape(gateway);
    assert.ok(value(after, 'tiktool_upstream_reconnects_total') > value(before, 'tiktool_upstream_reconnects_total'));
    const errors = [...after.entries()].filter(([k]) => k.startsWith('tiktool_upstream_errors_total{'));
    assert.ok(errors.length > 0, 'the drop is counted under its error code');
    c.close();
  });

  it('answers /healthz and /readyz', async () => {
    assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200);
    const ready = await fetch(`${gateway.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ready: true });
  });
});
