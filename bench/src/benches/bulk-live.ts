/**
 * Benchmark: bulk live checks (`POST /v1/live/bulk`, 200 names a call, the ultra tier's
 * most) against the gateway CLI in its own process and the emulator in this one. Names
 * are 70 % live, 20 % `offline_`, 10 % `missing_`. Three phases: fresh names, one call
 * at a time; ten concurrent calls of the same 200 fresh names (coalesced); then those
 * names again at once, within the answer TTL (cached). "Lookups" are the emulator's room
 * lookups by name (live page, api-live, sign provider): a missing name is asked in every
 * source before "not found" is believed. 400 fresh checks in all, within the default
 * budget toward TikTok of 600 a minute (LIVE_CHECKS_PER_MINUTE).
 */

import { startEmulator, type Emulator } from '@tiktool/emulator';
import { BENCH_KEY, startGatewayProcess } from '../lib/gateway-process.js';

const PER_CALL = 200;
const FRESH_CALLS = 1;
const CONCURRENT_CALLS = 10;

export interface BulkLivePhase {
  phase: string;
  calls: number;
  namesAsked: number;
  distinctNames: number;
  ms: number;
  namesPerS: number;
  /** Emulator room lookups per distinct live or offline name, and per missing name. */
  lookupsPerExisting: number;
  lookupsPerMissing: number;
  /** Emulator room lookups per name asked. */
  lookupsPerNameAsked: number;
  /** Entries answered other than as expected (live, not live, USER_NOT_FOUND). */
  wrong: number;
}

function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = i % 10;
    if (kind === 9) return `missing_${prefix}_${i}`;
    if (kind >= 7) return `offline_${prefix}_${i}`;
    return `${prefix}_${i}`;
  });
}

type Entry = { uniqueId: string; live?: boolean; error?: { code: string } };

async function bulk(base: string, uniqueIds: string[]): Promise<Entry[]> {
  const res = await fetch(`${base}/v1/live/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ uniqueIds }),
  });
  if (res.status !== 200) throw new Error(`bulk: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { results: Entry[] }).results;
}

const expected = (e: Entry) =>
  e.uniqueId.startsWith('missing_') ? e.error?.code === 'USER_NOT_FOUND' : e.live === !e.uniqueId.startsWith('offline_');

async function measure(emulator: Emulator, phase: string, calls: string[][], run: () => Promise<Entry[][]>): Promise<BulkLivePhase> {
  const distinct = [...new Set(calls.flat())];
  const before = emulator.stats().lookups;
  const t0 = performance.now();
  const answers = await run();
  const ms = performance.now() - t0;
  const after = emulator.stats().lookups;
  const delta = (names: string[]) => names.reduce((sum, n) => sum + ((after[n] ?? 0) - (before[n] ?? 0)), 0);
  const missing = distinct.filter((n) => n.startsWith('missing_'));
  const existing = distinct.filter((n) => !n.startsWith('missing_'));
  const asked = calls.flat().length;
  return {
    phase,
    calls: calls.length,
    namesAsked: asked,
    distinctNames: distinct.length,
    ms,
    namesPerS: (asked / ms) * 1000,
    lookupsPerExisting: delta(existing) / existing.length,
    lookupsPerMissing: delta(missing) / missing.length,
    lookupsPerNameAsked: delta(distinct) / asked,
    wrong: answers.flat().filter((e) => !expected(e)).length,
  };
}

export async function runBulkLive(): Promise<BulkLivePhase[]> {
  const emulator = await startEmulator({ rate: 0, seed: 41, maxRooms: 5_000 });
  const gateway = await startGatewayProcess({ emulatorUrl: emulator.url, name: 'gateway-bulk' });
  const base = gateway.wsUrl.replace(/^ws/, 'http');
  try {
    const fresh = Array.from({ length: FRESH_CALLS }, (_, i) => names(`bulk_fresh${i}`, PER_CALL));
    const shared = names('bulk_shared', PER_CALL);
    const concurrent = Array.from({ length: CONCURRENT_CALLS }, () => shared);
    const phases: BulkLivePhase[] = [];
    phases.push(
      await measure(emulator, 'fresh names, one call at a time', fresh, async () => {
        const out: Entry[][] = [];
        for (const call of fresh) out.push(await bulk(base, call));
        return out;
      }),
    );
    phases.push(
      await measure(emulator, `${CONCURRENT_CALLS} concurrent calls, same names`, concurrent, () =>
        Promise.all(concurrent.map((c) => bulk(base, c))),
      ),
    );
    phases.push(
      await measure(emulator, `${CONCURRENT_CALLS} concurrent calls, the same names again (cached)`, concurrent, () =>
        Promise.all(concurrent.map((c) => bulk(base, c))),
      ),
    );
    return phases;
  } finally {
    await gateway.stop();
    await emulator.close();
  }
}
