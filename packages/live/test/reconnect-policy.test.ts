import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reconnectDelay } from '../src/reconnect-policy.js';

const OPTIONS = { baseDelayMs: 100, maxDelayMs: 1_000 };

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
