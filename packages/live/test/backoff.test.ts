import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffCeiling, fullJitterDelay } from '../src/backoff.js';
import { reconnectDelay } from '../src/reconnect-policy.js';

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
      assert.equal(fullJitterDelay(attempt, OPTIONS, () => 0), 0);
      assert.equal(fullJitterDelay(attempt, OPTIONS, () => ALMOST_ONE), ceiling - 1);
      for (let i = 0; i < 200; i++) {
        const delay = fullJitterDelay(attempt, OPTIONS);
        assert.ok(delay >= 0 && delay < ceiling, `attempt ${attempt}: ${delay} outside [0, ${ceiling})`);
        assert.ok(Number.isInteger(delay));
      }
    }
  });
});

describe('reconnect policy by close code', () => {
  const half = () => 0.5;

  it('never reconnects after final codes', () => {
    for (const code of [1000, 1008, 1009, 4005, 4400, 4401, 4403, 4404, 4999]) {
      assert.equal(reconnectDelay(code, '', 1, OPTIONS, half), undefined, String(code));
    }
  });

  it('resumes at once on the first attempt, then backs off', () => {
    for (const code of [1001, 1006, 1012, 4008, 4555]) {
      assert.equal(reconnectDelay(code, '', 1, OPTIONS, half), 0, String(code));
      assert.equal(reconnectDelay(code, '', 3, OPTIONS, half), 200, String(code));
    }
  });

  it('backs off from the first attempt on backoff codes', () => {
    for (const code of [1011, 1013, 4006, 4500]) {
      assert.equal(reconnectDelay(code, '', 1, OPTIONS, half), 50, String(code));
    }
  });

  it('waits the seconds of a 4429 reason, beyond the cap, or backs off without one', () => {
    assert.equal(reconnectDelay(4429, 'too many connects; retry after 42 s', 1, OPTIONS, half), 42_000);
    assert.equal(reconnectDelay(4429, 'retry after 0.25s', 1, OPTIONS, half), 250);
    assert.equal(reconnectDelay(4429, 'slow down', 2, OPTIONS, half), 100);
  });
});
