import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoalescingCache } from '../src/lookups/coalescing-cache.js';
import { ManualClock } from './manual-clock.js';

/** A load that counts its calls. */
function counted<V>(value: V) {
  const calls = { n: 0 };
  const load = async () => {
    calls.n++;
    return value;
  };
  return { calls, load };
}

describe('the coalescing TTL cache behind the REST lookups', () => {
  it('loads once for concurrent asks, and again only after the TTL', async () => {
    const clock = new ManualClock();
    const cache = new CoalescingCache<string>({ ttlMs: 10_000, maxEntries: 10, clock });
    const { calls, load } = counted('room');
    assert.deepEqual(await Promise.all(Array.from({ length: 50 }, () => cache.get('a', load))), Array(50).fill('room'));
    clock.advance(9_999);
    await cache.get('a', load);
    assert.equal(calls.n, 1);
    clock.advance(1);
    await cache.get('a', load);
    assert.equal(calls.n, 2);
  });

  it('keeps the failures it is told to keep, and asks again after the others', async () => {
    const cache = new CoalescingCache<string>({ ttlMs: 10_000, maxEntries: 10, keepsError: (e) => (e as Error).message === 'gone' });
    let calls = 0;
    const fail = (message: string) => async () => {
      calls++;
      throw new Error(message);
    };
    await assert.rejects(cache.get('missing', fail('gone')), /gone/);
    await assert.rejects(cache.get('missing', fail('gone')), /gone/);
    assert.equal(calls, 1);
    await assert.rejects(cache.get('flaky', fail('timeout')), /timeout/);
    await assert.rejects(cache.get('flaky', fail('timeout')), /timeout/);
    assert.equal(calls, 3);
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const cache = new CoalescingCache<number>({ ttlMs: 60_000, maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) await cache.get(`name_${i}`, async () => i);
    assert.equal(cache.size, 100);
    const { calls, load } = counted(-1);
    assert.equal(await cache.get('name_9999', load), 9999);
    assert.equal(await cache.get('name_0', load), -1, 'the oldest was dropped');
    assert.equal(calls.n, 1);
  });
});
