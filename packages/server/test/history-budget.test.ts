import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CloseCode } from '@tiktool/protocol';
import { waitFor } from '@tiktool/testkit';
import { creatorKeys } from '../src/cluster/keys.js';
import { connectRedis, whenReady } from '../src/cluster/redis-connection.js';
import { RedisLog } from '../src/cluster/redis-log.js';
import { UpstreamLease } from '../src/cluster/upstream-lease.js';
import { CreatorStream } from '../src/hub/creator-stream.js';
import { HistoryBudget } from '../src/hub/history-budget.js';
import { SocketClose } from '../src/hub/socket-close.js';
import { Subscriber, type SubscriberSocket, type Transport } from '../src/hub/subscriber.js';
import { HISTORY_ENTRY_OVERHEAD_BYTES, HISTORY_FLOOR_EVENTS } from '../src/defaults.js';
import type { Gateway } from '../src/index.js';
import { RedisServer } from './cluster-harness.js';
import { connectUrl, RawClient, startEmulatedGateway, TEST_KEY, type EmulatedGateway } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const DATA = `{"comment":"${'x'.repeat(100)}"}`;
const FLOOR = 5;
/** Streams start at seq 10, so that every event of DATA frames to the same size up to seq 99. */
const FIRST = 10;

/** A clock the test moves: events of different creators get distinct, known ages. */
class TestClock {
  t = 1_000;
  readonly now = () => this.t;
}

function streams(budget: HistoryBudget, clock: TestClock, n: number): CreatorStream[] {
  return Array.from(
    { length: n },
    (_, i) => new CreatorStream(`budget_${i}`, { maxEvents: 10_000, maxAgeMs: 3_600_000, budget }, undefined, FIRST, clock.now),
  );
}

/** What one event of DATA costs the budget (every stream here has a name of the same length: the frame carries it). */
function eventCost(): number {
  const probe = new CreatorStream('budget_p', { maxEvents: 1, maxAgeMs: 1 }, undefined, FIRST);
  return probe.append('chat', DATA).wire.byteLength + HISTORY_ENTRY_OVERHEAD_BYTES;
}

/** The bytes a stream really holds, entry by entry. */
function heldBytes(stream: CreatorStream): number {
  let sum = 0;
  for (let seq = stream.oldestSeq; seq <= stream.head; seq++) sum += stream.get(seq)!.wire.byteLength + HISTORY_ENTRY_OVERHEAD_BYTES;
  return sum;
}

describe('history budget', () => {
  it('trims the oldest events across creators first, and keeps each creator its floor', () => {
    const cost = eventCost();
    const clock = new TestClock();
    const budget = new HistoryBudget(cost * 30, FLOOR);
    const [a, b, c] = streams(budget, clock, 3);
    // a's events are the oldest, then b's, then c's.
    for (const s of [a, b, c]) {
      for (let i = 0; i < 10; i++) {
        s.append('chat', DATA);
        clock.t++;
      }
    }
    assert.equal(budget.bytes, cost * 30);
    assert.equal(budget.evicted, 0);
    for (let i = 0; i < 3; i++) c.append('chat', DATA);
    // Over by three: a's three oldest go, b and c keep everything.
    assert.deepEqual([a.oldestSeq, b.oldestSeq, c.oldestSeq], [FIRST + 3, FIRST, FIRST]);
    for (let i = 0; i < 5; i++) c.append('chat', DATA);
    // a is down to its floor; then b's oldest go.
    assert.deepEqual([a.oldestSeq, b.oldestSeq, c.oldestSeq], [FIRST + 5, FIRST + 3, FIRST]);
    assert.equal(a.length, FLOOR);
    assert.equal(budget.evicted, 8);
    assert.equal(budget.bytes, cost * 30);
  });

  it('never holds more than the budget after an append, and counts exactly what the streams hold', () => {
    const clock = new TestClock();
    const budget = new HistoryBudget(eventCost() * 200, FLOOR);
    const all = streams(budget, clock, 8);
    let peak = 0;
    // Creators of different rates, interleaved: every append is checked.
    for (let i = 0; i < 3_000; i++) {
      const s = all[(i * 7 + (i >> 4)) % all.length];
      const data = i % 3 === 0 ? DATA : `{"n":${i}}`;
      s.append('chat', data);
      clock.t += i % 5 === 0 ? 1 : 0;
      assert.ok(budget.bytes <= budget.maxBytes, `after append ${i}: ${budget.bytes} > ${budget.maxBytes}`);
      peak = Math.max(peak, budget.bytes);
    }
    assert.equal(
      budget.bytes,
      all.reduce((sum, s) => sum + heldBytes(s), 0),
    );
    for (const s of all) assert.ok(s.length >= FLOOR, `a creator kept ${s.length} events`);
    assert.equal(budget.peakBytes, peak);
    assert.ok(budget.evicted > 0);
  });

  it('lets the floors exceed the budget rather than empty a creator', () => {
    const cost = eventCost();
    const budget = new HistoryBudget(cost * 4, FLOOR);
    const all = streams(budget, new TestClock(), 3);
    for (const s of all) for (let i = 0; i < 20; i++) s.append('chat', DATA);
    // Over the budget, at the floors.
    assert.deepEqual(
      all.map((s) => s.length),
      [FLOOR, FLOOR, FLOOR],
    );
    assert.equal(budget.bytes, cost * FLOOR * 3);
  });

  it('gives back the bytes of a stream that is released, and of events its own bounds trim', () => {
    const cost = eventCost();
    const clock = new TestClock();
    const budget = new HistoryBudget(cost * 1_000, FLOOR);
    const counted = new CreatorStream('budget_c', { maxEvents: 10, maxAgeMs: 100, budget }, undefined, FIRST, clock.now);
    const other = streams(budget, clock, 1)[0];
    for (let i = 0; i < 25; i++) counted.append('chat', DATA);
    other.append('chat', DATA);
    // The count bound keeps 10.
    assert.equal(budget.bytes, cost * 11);
    clock.t += 101;
    other.append('chat', DATA);
    assert.equal(counted.oldestSeq, counted.head + 1, 'the age bound emptied it');
    assert.equal(budget.bytes, cost * 2);
    other.release();
    assert.equal(budget.bytes, 0);
    assert.equal(budget.evicted, 0);
  });

  it('closes a replaying subscriber with 4008 when the budget trims past its position, and it never skips an event', () => {
    const cost = eventCost();
    const clock = new TestClock();
    const budget = new HistoryBudget(cost * 40, FLOOR);
    const [replayed, busy] = streams(budget, clock, 2);
    for (let i = 0; i < 30; i++) replayed.append('chat', DATA);
    const from = replayed.oldestSeq;
    clock.t++;
    const socket = new DrainOnDemand();
    const sent: number[] = [];
    // Three events a turn: the rest of the replay waits for the socket.
    const closer = new SocketClose(socket);
    const sub = new Subscriber(socket, replayed, from, {
      maxQueueBytes: 1 << 20,
      replayHighWaterBytes: cost * 3 - HISTORY_ENTRY_OVERHEAD_BYTES * 3,
      wants: () => true,
      onSent: (seq) => sent.push(seq),
      batch: false,
      transport: socket,
      closeSocket: closer.close,
      onEnd: closer.close,
    });
    sub.start();
    // Another creator's newer events push the replayed creator's oldest out meanwhile.
    for (let i = 0; i < 20; i++) busy.append('chat', DATA);
    assert.deepEqual(sent, [from + 2]);
    assert.ok(replayed.oldestSeq > from + 3, 'the budget trimmed past the subscriber');
    socket.drain();
    assert.deepEqual(socket.closes, [{ code: CloseCode.SLOW_CONSUMER, reason: 'slow consumer: fell behind the retained history' }]);
    assert.deepEqual(sent, [from + 2], 'nothing after the gap was sent');
  });
});

/** A client's socket that drains when the test says so (the replay's pace). */
class DrainOnDemand implements SubscriberSocket, Transport {
  readonly bufferedAmount = 0;
  readyState = 1;
  readonly extensions = '';
  readonly closes: { code: number; reason: string }[] = [];
  private drains: ((err?: Error | null) => void)[] = [];

  write(_data: Buffer, cb?: (err?: Error | null) => void): boolean {
    if (cb) this.drains.push(cb);
    return true;
  }

  close(code: number, reason: string): void {
    this.closes.push({ code, reason });
    this.readyState = 2;
  }

  terminate(): void {}

  drain(): void {
    for (const cb of this.drains.splice(0)) cb();
  }
}

/** A metric's value (summed over its label sets) from the gateway's /metrics. */
async function metric(gateway: Gateway, name: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.split(' ').at(-1));
  return sum;
}

const seqsOf = (c: RawClient): number[] => c.events().map((e) => e.seq!);

/** Connects, reads until it has `events` events, and leaves: its session and last seq. */
async function readAndLeave(gateway: Gateway, uniqueId: string, events: number): Promise<{ sessionId: string; lastSeq: number }> {
  const c = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
  await c.until((x) => x.events().length >= events);
  c.close();
  await c.closed;
  return { sessionId: c.roomInfo!.data.sessionId as string, lastSeq: seqsOf(c).at(-1)! };
}

describe('history budget on a gateway', () => {
  const BUDGET = 600 * 1024;
  const CREATORS = ['budget_a', 'budget_b', 'budget_c', 'budget_d'];
  let env: EmulatedGateway;
  const watchers: RawClient[] = [];

  before(async () => {
    env = await startEmulatedGateway({ historyMaxBytes: BUDGET, emulatorRate: 100 });
    // Busy creators, each kept open by a watcher.
    for (const uniqueId of CREATORS) {
      const w = new RawClient(connectUrl(env.gateway, { uniqueId, apiKey: TEST_KEY }));
      await w.until((x) => x.events().length > 0);
      watchers.push(w);
    }
  });

  after(async () => {
    for (const w of watchers) w.close();
    await env.gateway.close();
    await env.emulator.close();
  });

  it('a resume into history the budget trimmed is told recovered: false; the metrics show bytes and evictions', async () => {
    const gone = await readAndLeave(env.gateway, 'budget_a', 5);
    // Every event the node had taken in by now is older than what it keeps once as many have been evicted.
    const takenIn = await metric(env.gateway, 'tiktool_events_in_total');
    await waitFor(async () => (await metric(env.gateway, 'tiktool_history_evictions_total')) > takenIn + HISTORY_FLOOR_EVENTS, {
      timeoutMs: 60_000,
      what: `evictions past the ${takenIn} events taken in when the client left`,
    });
    const c = new RawClient(connectUrl(env.gateway, { uniqueId: 'budget_a', apiKey: TEST_KEY, ...gone }));
    await c.until((x) => x.events().length > 0);
    c.close();
    assert.equal(c.roomInfo!.data.resumed, true);
    assert.equal(c.roomInfo!.data.recovered, false);
    assert.ok(seqsOf(c)[0] > gone.lastSeq + 1, 'replay starts past the trimmed events');
    const bytes = await metric(env.gateway, 'tiktool_history_bytes');
    assert.ok(bytes > BUDGET / 2 && bytes <= BUDGET, `history bytes ${bytes} within the ${BUDGET} budget`);
    assert.ok((await metric(env.gateway, 'tiktool_history_peak_bytes')) <= BUDGET);
    assert.equal(await metric(env.gateway, 'tiktool_history_max_bytes'), BUDGET);
  });

  it('frees what it evicts: nothing else holds an evicted event', async () => {
    const creator = env.gateway.hub.get('budget_c')!;
    const seq = creator.stream.head;
    const evicted = new WeakRef(creator.stream.get(seq)!);
    await waitFor(() => creator.stream.oldestSeq > seq, { timeoutMs: 60_000, what: `seq ${seq} of budget_c evicted` });
    gc();
    gc();
    assert.equal(evicted.deref(), undefined);
  });

  it('a resume into history still held is told recovered: true and gets every event, no gap', async () => {
    await waitFor(async () => (await metric(env.gateway, 'tiktool_history_evictions_total')) > 0, {
      timeoutMs: 60_000,
      what: 'the budget evicting',
    });
    const held = await readAndLeave(env.gateway, 'budget_b', 5);
    const c = new RawClient(connectUrl(env.gateway, { uniqueId: 'budget_b', apiKey: TEST_KEY, ...held }));
    await c.until((x) => x.events().length >= 20);
    c.close();
    assert.equal(c.roomInfo!.data.recovered, true);
    const seqs = seqsOf(c);
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => held.lastSeq + 1 + i),
    );
  });
});

describe('the per-creator bounds in Redis', () => {
  let server: RedisServer;

  before(async () => {
    server = await RedisServer.start();
  });

  after(() => server.stop());

  it("trims a creator's log by age as it appends, and a node's copy ages each entry from its append", async () => {
    const redis = connectRedis(server.url, 'budget-test');
    try {
      await whenReady(redis, 10_000);
      const keys = creatorKeys('budget_redis');
      const lease = new UpstreamLease(redis, keys.owner, 30_000);
      assert.ok(await lease.take());
      const clock = new TestClock();
      const maxAgeMs = 60_000;
      const log = new RedisLog(redis, 'budget_redis', { historyMaxEvents: 1_000, historyTtlMs: maxAgeMs, now: clock.now }, lease.token);
      const appendedAt: number[] = [];
      for (let i = 0; i < 10; i++) {
        appendedAt.push(clock.t);
        await log.append({ event: 'chat', data: DATA, msgId: `m${i}` });
        clock.t += 1_000;
      }
      // Seqs 1-5 are now older than the age bound; each append drops up to two of them.
      clock.t = appendedAt[4] + maxAgeMs + 1;
      await log.append({ event: 'chat', data: DATA, msgId: 'm10' });
      assert.equal((await log.read(1)).entries[0].entry.seq, 3);
      await log.append({ event: 'chat', data: DATA, msgId: 'm11' });
      await log.append({ event: 'chat', data: DATA, msgId: 'm12' });
      const read = await log.read(1);
      assert.deepEqual(
        read.entries.map((e) => e.entry.seq),
        [6, 7, 8, 9, 10, 11, 12, 13],
      );
      assert.deepEqual(
        read.entries.slice(0, 5).map((e) => e.entry.appendedAt),
        appendedAt.slice(5),
      );
    } finally {
      redis.disconnect();
    }
  });
});
