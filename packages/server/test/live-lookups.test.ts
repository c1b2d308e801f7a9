import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UpstreamError } from '@tiktool/webcast';
import { GatewayError } from '../src/errors.js';
import { LiveLookups } from '../src/live/live-lookups.js';
import { useEmulatedUpstream } from './helpers.js';

describe('live lookups: shared, cached and budgeted', () => {
  const emulated = useEmulatedUpstream();
  const { lookupsOf } = emulated;

  it('100 concurrent asks for one creator make one lookup at TikTok', async () => {
    const lookups = new LiveLookups(emulated.upstream);
    const answers = await Promise.all(Array.from({ length: 100 }, () => lookups.lookup('shared_ask')));
    assert.ok(answers.every((a) => a.live));
    assert.equal(lookupsOf('shared_ask'), 1);
  });

  it('reuses an answer within the TTL, and asks again when a fresher one is wanted', async () => {
    const lookups = new LiveLookups(emulated.upstream);
    assert.equal((await lookups.lookup('offline_cached')).live, false);
    assert.equal((await lookups.lookup('offline_cached')).live, false);
    assert.equal(lookupsOf('offline_cached'), 1);
    emulated.emulator.setLive('offline_cached', true);
    assert.equal((await lookups.lookup('offline_cached', 0)).live, true);
    assert.equal(lookupsOf('offline_cached'), 2);
  });

  it('remembers a missing user like an answer', async () => {
    const lookups = new LiveLookups(emulated.upstream);
    const notFound = (err: unknown) => err instanceof UpstreamError && err.code === 'USER_NOT_FOUND';
    await assert.rejects(lookups.lookup('missing_twice'), notFound);
    // Every room id source is asked before "not found" is believed.
    const first = lookupsOf('missing_twice');
    assert.ok(first > 0);
    await assert.rejects(lookups.lookup('missing_twice'), notFound);
    await assert.rejects(lookups.lookup('missing_twice'), notFound);
    assert.equal(lookupsOf('missing_twice'), first);
  });

  it('refuses with a retry delay once the budget is used up', async () => {
    const lookups = new LiveLookups(emulated.upstream, { checksPerMinute: 2, maxWaitMs: 0 });
    await lookups.lookup('budget_a');
    await lookups.lookup('budget_b');
    await assert.rejects(
      lookups.lookup('budget_c'),
      (err) => err instanceof GatewayError && err.code === 'ERR_LIVE_CHECK_BUDGET' && /retry after \d+ s/.test(err.message),
    );
    assert.equal(lookupsOf('budget_c'), 0);
  });
});
