import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '@tiktool/emulator';
import type { Gateway } from '../src/index.js';
import { RawClient, TEST_KEY, connectUrl, startEmulatedGateway } from './helpers.js';

describe('the first events of a LIVE reach the clients that opened its upstream', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  before(async () => {
    // Rate 0: the room holds only what the test emits, so the first fetch's messages are known.
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 0 }));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it("the first fetch's messages reach the first clients in order with seqs 1..n, exactly once", async () => {
    const uniqueId = 'first_fetch';
    emulator.emit(uniqueId, 5); // the room's recent messages: TikTok returns them with the first fetch
    const inFirstFetch = emulator.emitted(uniqueId);
    const first = [0, 1].map(() => new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY })));
    await Promise.all(first.map((c) => c.until((x) => x.events().length >= 5)));
    for (const c of first) assert.equal(c.roomInfo!.data.replayed, 5, 'roomInfo announces the events that follow');

    emulator.emit(uniqueId, 3);
    await Promise.all(first.map((c) => c.until((x) => x.events().length >= 8)));
    const all = emulator.emitted(uniqueId);
    for (const c of first) {
      assert.deepEqual(
        c.events().map((e) => e.seq),
        [1, 2, 3, 4, 5, 6, 7, 8],
      );
      assert.deepEqual(
        c.events().map((e) => e.data.msgId),
        all,
      );
      assert.deepEqual(all.slice(0, 5), inFirstFetch);
    }

    // A client joining the running upstream starts at the head, as before.
    const later = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
    await later.until((x) => x.roomInfo !== undefined);
    assert.equal(later.roomInfo!.data.seq, 8);
    assert.equal(later.roomInfo!.data.replayed, 0);
    emulator.emit(uniqueId, 1);
    await later.until((x) => x.events().length >= 1);
    assert.deepEqual(
      later.events().map((e) => e.seq),
      [9],
    );
    for (const c of [...first, later]) c.close();
  });
});
