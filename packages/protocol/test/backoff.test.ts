import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffCeiling, fullJitterDelay } from '../src/backoff.js';

const OPTIONS = { baseDelayMs: 100, maxDelayMs: 1_000 };
const ALMOST_ONE = 1 - Number.EPSILON;

describe('full-jitter backoff', () => {
  it('doubles the ceiling per attempt up to the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 100].map((a) => backoffCeiling(a, OPTIONS)),
      [100, 200, 400, 800, 1_000, 1_000, 1_000],
    );
  });

  it('draws every delay from [0, ceiling)', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = backoffCeiling(attempt, OPTIONS);
      assert.equal(
        fullJitterDelay(attempt, OPTIONS, () => 0),
        0,
      );
      assert.equal(
        fullJitterDelay(attempt, OPTIONS, () => ALMOST_ONE),
        ceiling - 1,
      );
      for (let i = 0; i < 200; i++) {
        const delay = fullJitterDelay(attempt, OPTIONS);
        assert.ok(delay >= 0 && delay < ceiling, `attempt ${attempt}: ${delay} outside [0, ${ceiling})`);
        assert.ok(Number.isInteger(delay));
      }
    }
  });
});
