import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { CloseCode } from '@tiktool/protocol';
import { WebSocket } from 'ws';
import type { Gateway } from '../src/index.js';
import { waitFor } from '@tiktool/testkit';
import { TEST_KEY, connectUrl, startTestGateway } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CYCLES = 10_000;
const CREATORS = 1_000;
/** Handshakes in flight at once: enough to be quick, few enough to keep the machine responsive. */
const CONCURRENCY = 50;
/** Heap after GC may end this much above where it started (allocator slack, JIT code, caches). */
const HEAP_BOUND_MIB = 8;
const MiB = 1024 * 1024;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Opens a socket, waits for its roomInfo, then closes it (or lets `end` close it) and waits for the close. */
function visit(url: string, end?: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('error', reject);
    ws.once('message', () => (end ? end() : ws.close(1000)));
    ws.once('close', (code) => resolve(code));
  });
}

async function inParallel(count: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

describe('memory returns to where it started', () => {
  let emulator: Emulator;
  let gateway: Gateway;
  before(async () => {
    // Short lingers and session TTL: what is held by design for a while is let go within the test.
    emulator = await startEmulator({ rate: 20, roomLingerMs: 5_000, replayLimit: 100, recordLimit: 100 });
    gateway = await startTestGateway({
      upstream: 'webcast',
      webcast: emulator.upstreamOptions(),
      sessionTtlMs: 100,
      upstreamLingerMs: 10,
      logLevel: 'warn',
    });
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  /** Connect/disconnect cycles on one creator, then creators that come (a first client) and go (it leaves, or the LIVE ends). */
  async function churn(cycles: number, creators: number, round: string): Promise<void> {
    const steady = connectUrl(gateway, { uniqueId: `leak_steady_${round}`, apiKey: TEST_KEY });
    // One client stays through the cycles, so they churn connections, not the upstream.
    const holder = new WebSocket(steady);
    await new Promise((resolve) => holder.once('message', resolve));
    await inParallel(cycles, async () => {
      assert.equal(await visit(steady), 1000);
    });
    holder.close(1000);
    await inParallel(creators, async (i) => {
      const uniqueId = `leak_${round}_${i}`;
      const url = connectUrl(gateway, { uniqueId, apiKey: TEST_KEY });
      if (i % 2 === 0) assert.equal(await visit(url, () => emulator.endStream(uniqueId)), CloseCode.STREAM_END);
      else assert.equal(await visit(url), 1000);
    });
    await waitFor(() => gateway.hub.size === 0 && gateway.sessions.size === 0 && emulator.stats().roomCount === 0, {
      timeoutMs: 10_000,
      what: 'creators, sessions and rooms to be let go',
    });
  }

  it(`after ${CYCLES} connect/disconnect cycles and ${CREATORS} creators coming and going, heap after GC is within ${HEAP_BOUND_MIB} MiB of the start`, async () => {
    // A smaller round first: code compiled and pools filled on first use are not growth.
    await churn(CYCLES / 10, CREATORS / 10, 'warm');
    const start = heapAfterGc();
    await churn(CYCLES, CREATORS, 'main');
    const end = heapAfterGc();
    const grewMiB = (end - start) / MiB;
    assert.ok(grewMiB < HEAP_BOUND_MIB, `heap after GC grew ${grewMiB.toFixed(1)} MiB (from ${(start / MiB).toFixed(1)} MiB)`);
  });
});
