import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '@tiktool/emulator';
import type { Gateway } from '../src/index.js';
import { RawClient, TEST_KEY, connectUrl, startEmulatedGateway, type Envelope } from './helpers.js';

/** A client that also keeps every frame as it arrived (RawClient flattens batches). */
function framesOf(c: RawClient): unknown[] {
  const frames: unknown[] = [];
  c.ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  return frames;
}

const asJson = (events: Envelope[]) => events.map((e) => JSON.stringify(e));

function assertGapless(events: Envelope[], from: number): void {
  events.forEach((e, i) => assert.equal(e.seq, from + i, 'gapless and in order'));
}

describe('batch=1 delivers the same events, several per frame', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  before(async () => {
    // No scripted rate: each emit() below is one upstream frame of that many events.
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 0 }));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('a batch client receives arrays whose concatenation is what an unbatched client receives', async () => {
    const uniqueId = 'batch_same';
    const plain = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
    const batched = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY, batch: 1 }));
    const frames = framesOf(batched);
    await plain.until((c) => c.roomInfo !== undefined);
    await batched.until((c) => c.roomInfo !== undefined);

    for (const n of [1, 5, 40, 2]) emulator.emit(uniqueId, n);
    await plain.until((c) => c.events().length >= 48);
    await batched.until((c) => c.events().length >= 48);

    assert.deepEqual(asJson(batched.events()), asJson(plain.events()));
    assertGapless(batched.events(), batched.events()[0].seq!);
    const [roomInfo, ...rest] = frames;
    assert.equal((roomInfo as Envelope).event, 'roomInfo', 'roomInfo comes alone, as an object');
    assert.ok(rest.every(Array.isArray), 'every event frame is an array');
    assert.ok(rest.length < 48, `${rest.length} frames for 48 events`);
    plain.close();
    batched.close();
  });

  it('a resuming batch client gets the missed events in arrays, then live ones, with no gap', async () => {
    const uniqueId = 'batch_resume';
    const witness = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
    const first = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY, batch: 1 }));
    await witness.until((c) => c.roomInfo !== undefined);
    await first.until((c) => c.roomInfo !== undefined);
    emulator.emit(uniqueId, 3);
    await first.until((c) => c.events().length >= 3);
    first.close();
    await first.closed;
    const lastSeq = first.events()[2].seq!;
    const sessionId = first.roomInfo!.data.sessionId as string;

    // Missed: more than one replay write and one batch frame's worth.
    for (let i = 0; i < 8; i++) emulator.emit(uniqueId, 250);
    // Once the witness has them, the gateway holds every missed event.
    await witness.until((c) => c.events().length >= 2003, 20_000);

    const second = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY, batch: 1, sessionId, lastSeq }));
    const frames = framesOf(second);
    await second.until((c) => c.roomInfo !== undefined);
    assert.equal(second.roomInfo!.data.recovered, true);
    assert.equal(second.roomInfo!.data.replayed, 2000);
    await second.until((c) => c.events().length >= 2000, 20_000);
    emulator.emit(uniqueId, 4);
    await second.until((c) => c.events().length >= 2004);
    assertGapless(second.events(), lastSeq + 1);
    assert.ok(frames.slice(1).every(Array.isArray));
    assert.ok(frames.length - 1 < 100, `${frames.length - 1} frames for 2004 events`);
    second.close();
    witness.close();
  });

  it("events= filters what goes into a batch client's arrays", async () => {
    const uniqueId = 'batch_filter';
    const plain = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY, events: 'chat,like' }));
    const batched = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY, events: 'chat,like', batch: 1 }));
    const everything = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
    await plain.until((c) => c.roomInfo !== undefined);
    await batched.until((c) => c.roomInfo !== undefined);
    await everything.until((c) => c.roomInfo !== undefined);
    emulator.emit(uniqueId, 120);
    // The unfiltered client shows where the 120 end; both filtered clients must get there.
    await everything.until((c) => c.events().length >= 120);
    const lastWanted = everything
      .events()
      .filter((e) => e.event === 'chat' || e.event === 'like')
      .at(-1)!.seq;
    await plain.until((c) => c.events().at(-1)?.seq === lastWanted);
    await batched.until((c) => c.events().at(-1)?.seq === lastWanted);
    assert.ok(plain.events('chat').length > 0 && plain.events('like').length > 0);
    assert.deepEqual(new Set(batched.events().map((e) => e.event)), new Set(['chat', 'like']));
    assert.deepEqual(asJson(batched.events()), asJson(plain.events()));
    plain.close();
    batched.close();
    everything.close();
  });
});
