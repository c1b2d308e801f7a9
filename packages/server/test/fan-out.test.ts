import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '@tiktool/emulator';
import type { Gateway } from '../src/index.js';
import { waitFor } from '@tiktool/testkit';
import { RawClient, TEST_KEY, connectUrl, startEmulatedGateway, startTestGateway } from './helpers.js';

describe('one upstream per creator, fanned out to every subscriber', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  before(async () => {
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 100 }));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('two clients on one creator share one upstream and receive the same events', async () => {
    const a = new RawClient(connectUrl(gateway, { uniqueId: 'shared_one', apiKey: TEST_KEY }));
    const b = new RawClient(connectUrl(gateway, { uniqueId: 'shared_one', apiKey: TEST_KEY }));
    await a.until((c) => c.roomInfo !== undefined);
    await b.until((c) => c.roomInfo !== undefined);
    const startSeq = Math.max(a.roomInfo!.data.seq as number, b.roomInfo!.data.seq as number);
    await a.until((c) => c.events().some((e) => e.seq! > startSeq + 20));
    await b.until((c) => c.events().some((e) => e.seq! > startSeq + 20));
    const pick = (c: RawClient) =>
      c
        .events()
        .filter((e) => e.seq! > startSeq && e.seq! <= startSeq + 20)
        .map((e) => JSON.stringify(e));
    assert.deepEqual(pick(a), pick(b));
    assert.equal(pick(a).length, 20);
    assert.equal(a.binaryFrames + b.binaryFrames, 0, 'every message is a text frame');

    const stats = emulator.stats();
    assert.equal(stats.rooms.shared_one?.connections, 1, 'the emulator sees one push connection');
    const health = (await (await fetch(`${gateway.url}/healthz`)).json()) as { creators: number; clients: number };
    assert.equal(health.creators, 1);
    assert.equal(health.clients, 2);
    a.close();
    b.close();
  });

  it("50 clients on 5 creators each receive only their creator's events", async () => {
    const creators = ['fan_a', 'fan_b', 'fan_c', 'fan_d', 'fan_e'];
    const clients = creators.flatMap((uniqueId) =>
      Array.from({ length: 10 }, () => ({ uniqueId, c: new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY })) })),
    );
    await Promise.all(clients.map(({ c }) => c.until((x) => x.events().length >= 10)));
    const roomOf = new Map<string, string>();
    for (const { uniqueId, c } of clients) {
      const info = c.roomInfo!.data;
      assert.equal(info.uniqueId, uniqueId);
      if (!roomOf.has(uniqueId)) roomOf.set(uniqueId, info.roomId as string);
      assert.equal(info.roomId, roomOf.get(uniqueId));
      const ids = new Set(c.events().map((e) => e.data.msgId));
      for (const other of clients) {
        if (other.uniqueId === uniqueId) continue;
        for (const e of other.c.events()) assert.ok(!ids.has(e.data.msgId), `${uniqueId} got an event of ${other.uniqueId}`);
      }
    }
    assert.equal(new Set(roomOf.values()).size, 5);
    const stats = emulator.stats();
    for (const uniqueId of creators) assert.equal(stats.rooms[uniqueId]?.connections, 1, uniqueId);
    for (const { c } of clients) c.close();
  });

  it('events=chat,gift delivers only chat and gift', async () => {
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'filtered', apiKey: TEST_KEY, events: 'chat,gift' }));
    await c.until((x) => x.events('chat').length >= 3 && x.events('gift').length >= 3, 15_000);
    assert.deepEqual(new Set(c.events().map((e) => e.event)), new Set(['chat', 'gift']));
    c.close();
  });

  it('keeps the upstream through the linger: a client back within it continues the same stream', async () => {
    const g = await startTestGateway({ upstreamLingerMs: 60_000 });
    try {
      const first = new RawClient(connectUrl(g, { uniqueId: 'lingering', apiKey: TEST_KEY }));
      await first.until((x) => x.events().length > 0);
      first.close();
      await first.closed;
      const health = async () => (await (await fetch(`${g.url}/healthz`)).json()) as { creators: number; clients: number };
      await waitFor(async () => (await health()).clients === 0, { what: 'the gateway to see the client leave' });
      assert.equal((await health()).creators, 1, 'the creator stays during the linger');
      const back = new RawClient(connectUrl(g, { uniqueId: 'lingering', apiKey: TEST_KEY }));
      await back.until((x) => x.events().length > 0);
      assert.equal(back.roomInfo!.data.epoch, first.roomInfo!.data.epoch, 'the same stream, not a new upstream');
      assert.ok(back.events()[0].seq! > first.events().at(-1)!.seq!);
      back.close();
    } finally {
      await g.close();
    }
  });

  it('stops the upstream after the last subscriber leaves and the linger passes', async () => {
    const { gateway: g, emulator: lingerEmulator } = await startEmulatedGateway({ upstreamLingerMs: 100 });
    try {
      const c = new RawClient(connectUrl(g, { uniqueId: 'linger', apiKey: TEST_KEY }));
      await c.until((x) => x.events().length > 0);
      c.close();
      await waitFor(() => g.hub.size === 0, { timeoutMs: 5000, what: 'creator retired' });
      await waitFor(() => (lingerEmulator.stats().rooms.linger?.connections ?? 0) === 0, { timeoutMs: 5000, what: 'push closed' });
    } finally {
      await g.close();
      await lingerEmulator.close();
    }
  });
});
