import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startTestGateway } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const UNKNOWN_ASSETS = 3_000;
const NAME_LENGTH = 2_000;
const IN_FLIGHT = 50;
const MAX_GROWTH = 1024 * 1024;

/** The gateway's heap (it runs in this process) after a full collection. */
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function requestUnknownAssets(base: string, count: number): Promise<void> {
  for (let sent = 0; sent < count; sent += IN_FLIGHT) {
    await Promise.all(
      Array.from({ length: Math.min(IN_FLIGHT, count - sent) }, async () => {
        const name = randomBytes(NAME_LENGTH / 2).toString('hex');
        const res = await fetch(`${base}/playground/app/${name}.js`);
        assert.equal(res.status, 404);
        await res.arrayBuffer();
      }),
    );
  }
}

describe('the playground assets', () => {
  it('keeps no memory for asset names that do not exist', { timeout: 60_000 }, async () => {
    const gateway = await startTestGateway();
    try {
      assert.equal((await fetch(`${gateway.url}/playground/app/main.js`)).status, 200);
      // A first round warms up what any traffic allocates once (compiled code, pools).
      await requestUnknownAssets(gateway.url, UNKNOWN_ASSETS);
      const before = heapAfterGc();
      await requestUnknownAssets(gateway.url, UNKNOWN_ASSETS);
      const growth = heapAfterGc() - before;
      assert.ok(growth < MAX_GROWTH, `${UNKNOWN_ASSETS} unknown asset names grew the heap by ${growth} bytes`);
      assert.equal((await fetch(`${gateway.url}/playground/app/main.js`)).status, 200, 'real assets are still served');
    } finally {
      await gateway.close();
    }
  });
});
