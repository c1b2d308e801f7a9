import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCode } from '@tiktool/protocol';
import type { Gateway } from '../src/index.js';
import { RawClient, TEST_KEY, connectUrl, startEmulatedGateway, startTestGateway } from './helpers.js';

const seqs = (c: RawClient) => c.events().map((e) => e.seq!);
const lastOf = (c: RawClient) => c.events().at(-1)?.seq ?? 0;

/** A client that stays connected: what it has seen is how far the creator's stream got. */
function watcher(gateway: Gateway, params: Record<string, string>): RawClient {
  return new RawClient(connectUrl(gateway, { apiKey: TEST_KEY, ...params }));
}

describe('sessions resume exactly where the client stopped', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startTestGateway({ emulatorRate: 200 });
  });
  after(() => gateway.close());

  it('gives every connection a sessionId and the stream position in roomInfo', async () => {
    const c = new RawClient(connectUrl(gateway, { uniqueId: 'resume_a', apiKey: TEST_KEY }));
    await c.until((x) => x.events().length > 0);
    const info = c.roomInfo!.data;
    assert.match(info.sessionId as string, /^[A-Za-z0-9_-]{16,}$/);
    assert.equal(typeof info.epoch, 'string');
    assert.equal(info.resumed, false);
    // The events replayed (the first fetch's, for the client that opened the upstream) come first, then live ones.
    assert.equal(c.events()[0].seq, (info.seq as number) - (info.replayed as number) + 1);
    c.close();
  });

  it('replays the missed events with their original seqs, then continues live with no gap or duplicate', async () => {
    const first = new RawClient(connectUrl(gateway, { uniqueId: 'resume_b', apiKey: TEST_KEY }));
    const stays = watcher(gateway, { uniqueId: 'resume_b' });
    await first.until((x) => x.events().length >= 20);
    first.close();
    await first.closed;
    const got = seqs(first);
    const lastSeq = got[got.length - 1];
    const sessionId = first.roomInfo!.data.sessionId as string;
    await stays.until((x) => lastOf(x) >= lastSeq + 10); // events keep coming while the client is away
    stays.close();

    const second = new RawClient(connectUrl(gateway, { uniqueId: 'resume_b', apiKey: TEST_KEY, sessionId, lastSeq }));
    await second.until((x) => x.roomInfo !== undefined);
    const info = second.roomInfo!.data;
    assert.equal(info.sessionId, sessionId);
    assert.equal(info.resumed, true);
    assert.equal(info.recovered, true);
    assert.ok((info.replayed as number) >= 10, `replayed ${info.replayed}`);
    await second.until((x) => x.events().length >= (info.replayed as number) + 20);
    const resumed = seqs(second);
    assert.equal(resumed[0], lastSeq + 1);
    for (let i = 1; i < resumed.length; i++) assert.equal(resumed[i], resumed[i - 1] + 1, 'gapless and in order');
    second.close();
  });

  it('without lastSeq resumes after the last event the server sent on the session', async () => {
    const first = new RawClient(connectUrl(gateway, { uniqueId: 'resume_c', apiKey: TEST_KEY }));
    await first.until((x) => x.events().length >= 5);
    first.close();
    await first.closed;
    const sent = seqs(first);
    const sessionId = first.roomInfo!.data.sessionId as string;
    const second = new RawClient(connectUrl(gateway, { uniqueId: 'resume_c', apiKey: TEST_KEY, sessionId }));
    await second.until((x) => x.events().length >= 5);
    assert.equal(second.roomInfo!.data.recovered, true);
    assert.ok(seqs(second)[0] <= sent[sent.length - 1] + 1);
    assert.ok(seqs(second)[0] > sent[0]);
    second.close();
  });

  it('replays only events that pass the session filter', async () => {
    const first = new RawClient(connectUrl(gateway, { uniqueId: 'resume_d', apiKey: TEST_KEY, events: 'gift' }));
    const stays = watcher(gateway, { uniqueId: 'resume_d', events: 'gift' });
    await first.until((x) => x.events().length >= 3, 15_000);
    first.close();
    await first.closed;
    const sessionId = first.roomInfo!.data.sessionId as string;
    const lastSeq = seqs(first)[seqs(first).length - 1];
    await stays.until((x) => lastOf(x) > lastSeq, 15_000); // a gift the client missed
    stays.close();
    const second = new RawClient(connectUrl(gateway, { uniqueId: 'resume_d', apiKey: TEST_KEY, events: 'gift', sessionId, lastSeq }));
    await second.until((x) => x.events().length >= 3, 15_000);
    assert.ok(second.events().every((e) => e.event === 'gift'));
    const replayed = second.roomInfo!.data.replayed as number;
    assert.ok(replayed >= 1, `replayed ${replayed}`);
    assert.ok(seqs(second)[0] > lastSeq);
    second.close();
  });

  it('an unknown sessionId gets a fresh session with recovered=false', async () => {
    const c = new RawClient(
      connectUrl(gateway, { uniqueId: 'resume_e', apiKey: TEST_KEY, sessionId: 'AAAAAAAAAAAAAAAAAAAAAA', lastSeq: 5 }),
    );
    await c.until((x) => x.roomInfo !== undefined);
    const info = c.roomInfo!.data;
    assert.notEqual(info.sessionId, 'AAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(info.resumed, true);
    assert.equal(info.recovered, false);
    // This connection opened the creator's upstream: it is given the upstream's first events, from seq 1.
    assert.equal(info.replayed, info.seq);
    c.close();
  });

  it('a resume past the retained history says recovered=false and replays what is left', async () => {
    const g = await startTestGateway({ emulatorRate: 200, historyMaxEvents: 50 });
    try {
      const first = new RawClient(connectUrl(g, { uniqueId: 'trimmed', apiKey: TEST_KEY }));
      const stays = watcher(g, { uniqueId: 'trimmed' });
      await first.until((x) => x.events().length >= 2);
      first.close();
      await first.closed;
      const lastSeq = seqs(first)[seqs(first).length - 1];
      const sessionId = first.roomInfo!.data.sessionId as string;
      await stays.until((x) => lastOf(x) > lastSeq + 60); // more than the 50 retained since
      stays.close();
      const second = new RawClient(connectUrl(g, { uniqueId: 'trimmed', apiKey: TEST_KEY, sessionId, lastSeq }));
      await second.until((x) => x.events().length >= 50);
      const info = second.roomInfo!.data;
      assert.equal(info.recovered, false);
      // What is left is the newest 50, from past the gap, in order: not the whole stream, not fewer.
      assert.equal(info.replayed, 50);
      const replayedSeqs = seqs(second).slice(0, 50);
      assert.equal(replayedSeqs[0], (info.seq as number) - 49);
      assert.ok(replayedSeqs[0] > lastSeq + 1);
      for (let i = 1; i < 50; i++) assert.equal(replayedSeqs[i], replayedSeqs[i - 1] + 1);
      second.close();
    } finally {
      await g.close();
    }
  });

  it('a client that does not read is closed with 4008 and its resume loses nothing', async () => {
    const { gateway: g, emulator } = await startEmulatedGateway({ emulatorRate: 50, sendQueueMaxBytes: 64 * 1024 });
    try {
      const slow = new RawClient(connectUrl(g, { uniqueId: 'slowpoke', apiKey: TEST_KEY }));
      await slow.until((x) => x.events().length >= 1);
      const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      socket.pause(); // stop reading: the kernel buffers fill, then the gateway's queue
      const creator = g.hub.get('slowpoke')!;
      while (![...creator.subscribers].every((s) => s.isClosed)) {
        emulator.emit('slowpoke', 2000);
        await new Promise((r) => setTimeout(r, 50));
      }
      socket.resume(); // the client reads its backlog, then the close
      const closed = await slow.closed;
      assert.equal(closed.code, CloseCode.SLOW_CONSUMER);
      const got = seqs(slow);
      const resumed = new RawClient(
        connectUrl(g, {
          uniqueId: 'slowpoke',
          apiKey: TEST_KEY,
          sessionId: slow.roomInfo!.data.sessionId as string,
          lastSeq: got[got.length - 1],
        }),
      );
      await resumed.until((x) => x.roomInfo !== undefined);
      assert.equal(resumed.roomInfo!.data.recovered, true);
      const replayed = resumed.roomInfo!.data.replayed as number;
      assert.ok(replayed > 0);
      await resumed.until((x) => x.events().length >= replayed + 5, 20_000);
      const all = [...got, ...seqs(resumed)];
      for (let i = 1; i < all.length; i++) assert.equal(all[i], all[i - 1] + 1, `gapless at ${i}`);
      resumed.close();
    } finally {
      await g.close();
      await emulator.close();
    }
  });
});
