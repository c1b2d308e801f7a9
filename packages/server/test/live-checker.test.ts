import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEmulator } from '@tiktool/emulator';
import { waitFor } from '@tiktool/testkit';
import { createWebcastUpstream } from '@tiktool/webcast';
import { LiveChecker, type LiveCheckerOptions } from '../src/live/live-checker.js';
import { LiveLookups, type LookupOutcome } from '../src/live/live-lookups.js';
import type { LiveStatus } from '../src/live/live-status.js';
import { connectUrl, RawClient, startEmulatedGateway, TEST_KEY, useEmulatedUpstream } from './helpers.js';
import { ManualClock } from './manual-clock.js';

const MINUTE = 60_000;

/** Every status one listener heard. */
function heard(checker: LiveChecker, uniqueId: string): { statuses: LiveStatus[]; unwatch: () => void } {
  const statuses: LiveStatus[] = [];
  const unwatch = checker.watch(uniqueId, (s) => statuses.push(s));
  return { statuses, unwatch };
}

describe('live checker: one check loop per creator over the emulator', () => {
  const emulated = useEmulatedUpstream();
  const { lookupsOf } = emulated;

  /** A checker on a manual clock: its interval passes only when the test advances it. */
  function manualChecker(options: LiveCheckerOptions = {}) {
    const clock = new ManualClock();
    const checker = new LiveChecker(new LiveLookups(emulated.upstream, { clock }), { intervalMs: MINUTE, clock, ...options });
    return { clock, checker };
  }

  it('listeners hear the first status and each change as the emulator switches a creator', async () => {
    const checker = new LiveChecker(new LiveLookups(emulated.upstream), { intervalMs: 200 });
    try {
      const a = heard(checker, 'offline_switch');
      const b = heard(checker, 'offline_switch');
      await waitFor(() => a.statuses.length === 1 && b.statuses.length === 1, { what: 'the first status' });
      assert.equal(a.statuses[0]!.live, false);
      assert.equal(a.statuses[0]!.exists, true);
      emulated.emulator.setLive('offline_switch', true);
      await waitFor(() => a.statuses.length === 2 && b.statuses.length === 2, { what: 'live: true' });
      assert.equal(a.statuses[1]!.live, true);
      assert.equal(a.statuses[1]!.room?.uniqueId, 'offline_switch');
      emulated.emulator.setLive('offline_switch', false);
      await waitFor(() => a.statuses.length === 3, { what: 'live: false again' });
      assert.equal(a.statuses[2]!.live, false);
      assert.deepEqual(
        b.statuses.map((s) => s.live),
        [false, true, false],
      );
    } finally {
      checker.close();
    }
  });

  it('says a missing creator does not exist', async () => {
    const checker = new LiveChecker(new LiveLookups(emulated.upstream), { intervalMs: 200 });
    try {
      const a = heard(checker, 'missing_creator_here');
      await waitFor(() => a.statuses.length === 1, { what: 'the first status' });
      assert.equal(a.statuses[0]!.exists, false);
      assert.equal(a.statuses[0]!.live, false);
    } finally {
      checker.close();
    }
  });

  it('200 listeners on the same 50 offline creators make one check per creator per interval', async () => {
    const { clock, checker } = manualChecker();
    const creators = Array.from({ length: 50 }, (_, i) => `offline_roster_${i}`);
    const total = () => creators.reduce((n, u) => n + lookupsOf(u), 0);
    try {
      const listeners = Array.from({ length: 200 }, (_, i) => heard(checker, creators[i % 50]!));
      await waitFor(() => listeners.every((l) => l.statuses.length === 1), { what: 'every first status' });
      await waitFor(() => clock.pending().length === 50, { what: 'every creator waiting for its next check' });
      assert.equal(total(), 50);
      // The next checks are spread over the jitter, not all in one second.
      const next = clock.pending();
      assert.ok(next.at(-1)! - next[0]! > 1000, `next checks spread: ${next[0]}..${next.at(-1)} ms`);
      for (let round = 2; round <= 4; round++) {
        clock.advance(MINUTE * 1.1);
        await waitFor(() => total() === 50 * round && clock.pending().length === 50, { what: `round ${round}` });
      }
      assert.equal(total(), 200);
      assert.ok(
        listeners.every((l) => l.statuses.length === 1),
        'no change, nothing more heard',
      );
      assert.equal(checker.watching, 50);
      assert.equal(checker.waiting, 50);
    } finally {
      checker.close();
    }
  });

  it('stops checking a creator when its last listener unwatches', async () => {
    const { clock, checker } = manualChecker();
    try {
      const first = heard(checker, 'offline_unwatched');
      const second = heard(checker, 'offline_unwatched');
      const control = heard(checker, 'offline_still_watched');
      await waitFor(() => first.statuses.length === 1 && control.statuses.length === 1, { what: 'first statuses' });
      await waitFor(() => clock.pending().length === 2, { what: 'both waiting for their next check' });
      first.unwatch();
      clock.advance(MINUTE * 1.1);
      await waitFor(() => lookupsOf('offline_still_watched') === 2 && clock.pending().length === 2, { what: 'second checks' });
      assert.equal(lookupsOf('offline_unwatched'), 2, 'one listener left: still checked');
      second.unwatch();
      clock.advance(MINUTE * 1.1);
      await waitFor(() => lookupsOf('offline_still_watched') === 3 && clock.pending().length === 1, { what: 'third check' });
      assert.equal(lookupsOf('offline_unwatched'), 2, 'no listener: not checked');
      assert.equal(checker.watching, 1);
    } finally {
      checker.close();
    }
  });
});

describe('live checker within the check budget', () => {
  it('1,000 creators watched at once on a budget of 600 a minute: every listener hears a first status, none a failure', async () => {
    const emulator = await startEmulator({ rate: 5 });
    const upstream = createWebcastUpstream(emulator.upstreamOptions());
    const clock = new ManualClock();
    const lookedUpAt: number[] = [];
    const lookups = new LiveLookups(upstream, { clock, checksPerMinute: 600, onLookup: () => lookedUpAt.push(clock.now()) });
    const waits: number[] = [];
    const checker = new LiveChecker(lookups, { intervalMs: 10 * MINUTE, clock, onBudgetWait: (ms) => waits.push(ms) });
    const creators = Array.from({ length: 1000 }, (_, i) => `offline_budget_${i}`);
    try {
      const listeners = creators.map((u) => heard(checker, u));
      const heardFirst = () => listeners.filter((l) => l.statuses.length > 0).length;
      await waitFor(() => heardFirst() === 600 && clock.pending().length === 1000, {
        what: '600 first statuses, 400 waiting',
        timeoutMs: 60_000,
      });
      assert.ok(
        listeners.slice(0, 600).every((l) => l.statuses.length === 1),
        'the first 600 watched are the first checked',
      );
      assert.equal(waits.length, 400, 'the other 400 wait for the budget');
      clock.advance(MINUTE);
      await waitFor(() => heardFirst() === 1000 && clock.pending().length === 1000, { what: 'every first status', timeoutMs: 60_000 });
      const statuses = listeners.flatMap((l) => l.statuses);
      assert.equal(statuses.length, 1000, 'one status each');
      assert.deepEqual(
        statuses.filter((s) => s.live || !s.exists || !/is not live/.test(s.reason ?? '')).map((s) => s.reason),
        [],
        'no failure heard',
      );
      for (const at of lookedUpAt)
        assert.ok(lookedUpAt.filter((t) => t >= at && t < at + MINUTE).length <= 600, 'at most 600 checks in a minute');
      // Waiting for the budget is no failure: the next check comes an interval later, not two.
      const next = clock.pending();
      assert.ok(next.at(-1)! <= 10 * MINUTE * 1.1, `next checks within an interval and its jitter: ${next.at(-1)} ms`);
    } finally {
      checker.close();
      await upstream.close();
      await emulator.close();
    }
  });
});

describe('live checker while TikTok blocks the gateway', () => {
  it('checks less often while checks fail, tells listeners once, and returns to the interval', async () => {
    const emulator = await startEmulator({ rate: 5 });
    const clock = new ManualClock();
    const upstream = createWebcastUpstream({ ...emulator.upstreamOptions(), clock });
    const outcomes: LookupOutcome[] = [];
    const lookups = new LiveLookups(upstream, { clock, onLookup: (o) => outcomes.push(o) });
    const checker = new LiveChecker(lookups, { intervalMs: MINUTE, jitter: 0, clock });
    /** Lets the clock reach the next check, once the previous one is done; the delay it waited. */
    const nextCheck = async (checks: number): Promise<number> => {
      await waitFor(() => outcomes.length === checks && clock.pending().length === 1, { what: `check ${checks}` });
      const [delay] = clock.pending();
      clock.advance(delay!);
      return delay!;
    };
    try {
      emulator.blockAddress('*', 403);
      // An offline creator's room id comes from the sign provider; a live one's room info from TikTok, which blocks.
      const a = heard(checker, 'live_while_blocked');
      const delays: number[] = [];
      for (let checks = 1; checks <= 4; checks++) delays.push(await nextCheck(checks));
      assert.deepEqual(
        delays.map((d) => d / MINUTE),
        [2, 4, 8, 8],
      );
      assert.deepEqual(outcomes, ['blocked', 'blocked', 'blocked', 'blocked']);
      assert.equal(a.statuses.length, 1, 'one status while blocked');
      assert.match(a.statuses[0]!.reason!, /TikTok is blocking this address/);

      emulator.blockAddress('*', undefined);
      await nextCheck(5);
      await waitFor(() => a.statuses.length === 2, { what: 'the status once checks work again' });
      assert.equal(a.statuses[1]!.live, true);
      assert.equal(await nextCheck(6), MINUTE, 'back to the interval');
    } finally {
      checker.close();
      await upstream.close();
      await emulator.close();
    }
  });
});

describe('live checker in the gateway', () => {
  it('a stream ending reaches watchers at once, not at the next check', async () => {
    const { gateway, emulator } = await startEmulatedGateway({ liveCheckMs: 10 * MINUTE });
    try {
      const watcher = new RawClient(connectUrl(gateway, { uniqueId: 'ends_soon', apiKey: TEST_KEY }));
      await watcher.until((c) => c.roomInfo !== undefined);
      const statuses: LiveStatus[] = [];
      gateway.live.watch('ends_soon', (s) => statuses.push(s));
      await waitFor(() => statuses.length === 1, { what: 'the first status' });
      assert.equal(statuses[0]!.live, true);
      emulator.setLive('ends_soon', false);
      await waitFor(() => statuses.length === 2, { what: 'live: false' });
      assert.deepEqual([statuses[1]!.live, statuses[1]!.reason], [false, 'stream ended']);
      assert.equal(emulator.stats().lookups.ends_soon, 2, "the socket's connect and the first check; none since");
    } finally {
      await gateway.close();
      await emulator.close();
    }
  });

  it('/metrics counts checks by outcome and the creators watched and waiting', async () => {
    const { gateway, emulator } = await startEmulatedGateway({ liveCheckMs: 10 * MINUTE });
    const scrape = async () => (await fetch(`${gateway.url}/metrics`)).text();
    try {
      const heardFrom = new Set<string>();
      const unwatch = ['offline_metered', 'missing_metered', 'live_metered'].map((u) => gateway.live.watch(u, () => heardFrom.add(u)));
      await waitFor(() => heardFrom.size === 3, { what: 'three first statuses' });
      const metrics = await scrape();
      for (const outcome of ['live', 'offline', 'not_found'])
        assert.match(metrics, new RegExp(`tiktool_live_checks_total\\{outcome="${outcome}"\\} 1\n`));
      assert.match(metrics, /tiktool_live_checks_total\{outcome="blocked"\} 0\n/);
      assert.match(metrics, /tiktool_live_creators_watched 3\n/);
      assert.match(metrics, /tiktool_live_creators_waiting 2\n/);
      for (const stop of unwatch) stop();
      assert.match(await scrape(), /tiktool_live_creators_watched 0\n/);
    } finally {
      await gateway.close();
      await emulator.close();
    }
  });
});
