import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloseCode } from '@tiktool/protocol';
import { Burst } from '../src/hub/burst.js';
import { CreatorStream, type StreamEntry } from '../src/hub/creator-stream.js';
import { SocketClose } from '../src/hub/socket-close.js';
import { Subscriber, type SubscriberOptions, type SubscriberSocket, type Transport } from '../src/hub/subscriber.js';

const OPEN = 1;
const CLOSING = 2;

/**
 * The client's socket as the subscriber sees it: the test decides how much is buffered
 * and when a write has drained (by calling its callback).
 */
class FakeSocket implements SubscriberSocket, Transport {
  bufferedAmount = 0;
  readyState = OPEN;
  readonly writes: Buffer[] = [];
  readonly closes: { code: number; reason: string }[] = [];
  private drains: ((err?: Error | null) => void)[] = [];

  constructor(readonly extensions = '') {}

  write(data: Buffer, cb?: (err?: Error | null) => void): boolean {
    this.writes.push(data);
    if (cb) this.drains.push(cb);
    return true;
  }

  close(code: number, reason: string): void {
    this.closes.push({ code, reason });
    this.readyState = CLOSING;
  }

  terminate(): void {}

  /** Completes the writes handed so far, as a socket whose client read them. */
  drain(): void {
    for (const cb of this.drains.splice(0)) cb();
  }

  get waitingForDrain(): boolean {
    return this.drains.length > 0;
  }

  /** Every message written, parsed from the frames (final text frames, unmasked). */
  messages(): unknown[] {
    const out: unknown[] = [];
    for (const w of this.writes) {
      for (let at = 0; at < w.length; ) {
        const len7 = w[at + 1] & 0x7f;
        const [n, start] =
          len7 < 126 ? [len7, at + 2] : len7 === 126 ? [w.readUInt16BE(at + 2), at + 4] : [Number(w.readBigUInt64BE(at + 2)), at + 10];
        out.push(JSON.parse(w.subarray(start, start + n).toString()));
        at = start + n;
      }
    }
    return out;
  }

  /** The seqs delivered, in order, whether batched (arrays) or one event per frame. */
  seqs(): number[] {
    return this.messages()
      .flat()
      .map((m) => (m as { seq: number }).seq);
  }
}

const PAD = 'x'.repeat(100);

function appendChats(stream: CreatorStream, n: number, event: 'chat' | 'like' = 'chat'): StreamEntry[] {
  const added: StreamEntry[] = [];
  for (let i = 0; i < n; i++) added.push(stream.append(event, `{"comment":"${PAD}"}`));
  return added;
}

function burstOf(entries: StreamEntry[]): Burst {
  const b = new Burst();
  b.entries.push(...entries);
  return b;
}

function subscriber(
  socket: FakeSocket,
  stream: CreatorStream,
  fromSeq: number,
  options: Partial<SubscriberOptions> = {},
): { sub: Subscriber; sent: number[]; closer: SocketClose } {
  const sent: number[] = [];
  const closer = new SocketClose(socket);
  const sub = new Subscriber(socket, stream, fromSeq, {
    maxQueueBytes: 1 << 20,
    replayHighWaterBytes: 1 << 20,
    wants: () => true,
    onSent: (seq) => sent.push(seq),
    batch: false,
    transport: socket,
    closeSocket: closer.close,
    onEnd: closer.close,
    ...options,
  });
  return { sub, sent, closer };
}

function newStream(maxEvents = 1000): CreatorStream {
  return new CreatorStream('subscriber_test', { maxEvents, maxAgeMs: 3_600_000 });
}

describe('subscriber', () => {
  it('replays history at the pace the socket drains, then goes live with no gap or duplicate', () => {
    const stream = newStream();
    const entries = appendChats(stream, 10);
    const socket = new FakeSocket();
    // Three entries fill a turn: the fourth waits until the socket has taken them.
    const { sub } = subscriber(socket, stream, 1, { replayHighWaterBytes: entries[0].wire.byteLength * 3 });
    sub.start();
    assert.deepEqual(socket.seqs(), [1, 2, 3]);
    socket.drain();
    assert.deepEqual(socket.seqs(), [1, 2, 3, 4, 5, 6]);
    // A live burst during the replay is not sent on its own: the replay reaches it.
    const live = appendChats(stream, 2);
    sub.flush(burstOf(live));
    assert.deepEqual(socket.seqs(), [1, 2, 3, 4, 5, 6]);
    socket.drain();
    socket.drain();
    socket.drain();
    assert.deepEqual(socket.seqs(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.equal(socket.waitingForDrain, false);
    // At the head: a burst overlapping what was replayed sends only what is new.
    const next = appendChats(stream, 2);
    sub.flush(burstOf([live[1], ...next]));
    assert.deepEqual(socket.seqs(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    assert.equal(sub.eventsSent, 14);
  });

  it('closes with 4008 when a frame would take the unsent bytes over the bound, and sends nothing more', () => {
    const stream = newStream();
    const socket = new FakeSocket();
    const { sub, closer } = subscriber(socket, stream, 1, { maxQueueBytes: 1000 });
    sub.start();
    sub.flush(burstOf(appendChats(stream, 1)));
    assert.equal(socket.writes.length, 1);
    socket.bufferedAmount = 1000 - socket.writes[0].byteLength + 1;
    sub.flush(burstOf(appendChats(stream, 1)));
    assert.deepEqual(
      socket.closes.map((c) => c.code),
      [CloseCode.SLOW_CONSUMER],
    );
    assert.equal(closer.sentCode, CloseCode.SLOW_CONSUMER);
    assert.equal(closer.isClosed, true);
    assert.equal(sub.isClosed, true);
    sub.flush(burstOf(appendChats(stream, 1)));
    assert.equal(socket.writes.length, 1);
  });

  it('a frame that fits exactly under the bound is sent', () => {
    const stream = newStream();
    const socket = new FakeSocket();
    const { sub } = subscriber(socket, stream, 1, { maxQueueBytes: 1000 });
    sub.start();
    const [entry] = appendChats(stream, 1);
    socket.bufferedAmount = 1000 - entry.wire.byteLength;
    sub.flush(burstOf([entry]));
    assert.equal(socket.closes.length, 0);
    assert.deepEqual(socket.seqs(), [1]);
  });

  it('closes with 4008 when the history moved past the replay, rather than skip events', () => {
    const stream = newStream(5);
    const entries = appendChats(stream, 5);
    const socket = new FakeSocket();
    const { sub, closer } = subscriber(socket, stream, 1, { replayHighWaterBytes: entries[0].wire.byteLength * 2 });
    sub.start();
    assert.deepEqual(socket.seqs(), [1, 2]);
    appendChats(stream, 3); // seqs 1..3 leave the ring, 3 was next to replay
    socket.drain();
    assert.deepEqual(socket.seqs(), [1, 2]);
    assert.equal(closer.sentCode, CloseCode.SLOW_CONSUMER);
    assert.match(socket.closes[0].reason, /retained history/);
  });

  it('records no sent close code when the socket was already closing', () => {
    const socket = new FakeSocket();
    const { closer } = subscriber(socket, newStream(), 1);
    socket.readyState = CLOSING;
    closer.close(CloseCode.SLOW_CONSUMER, 'late');
    assert.equal(closer.sentCode, undefined);
    assert.equal(socket.closes.length, 1);
  });

  it('truncates a close reason to what a close frame holds, and closes once', () => {
    const socket = new FakeSocket();
    const { closer } = subscriber(socket, newStream(), 1);
    closer.close(4000, 'é'.repeat(200));
    closer.close(4001, 'again');
    assert.equal(socket.closes.length, 1);
    assert.ok(Buffer.byteLength(socket.closes[0].reason) <= 123);
  });

  it('in batch mode sends each burst and each replay turn as one JSON array', () => {
    const stream = newStream();
    const entries = appendChats(stream, 4);
    const socket = new FakeSocket();
    const { sub, sent } = subscriber(socket, stream, 1, {
      batch: true,
      replayHighWaterBytes: entries[0].wire.byteLength * 2,
    });
    sub.start();
    socket.drain();
    sub.flush(burstOf(appendChats(stream, 3)));
    const frames = socket.messages() as { seq: number }[][];
    assert.deepEqual(
      frames.map((f) => f.map((e) => e.seq)),
      [
        [1, 2],
        [3, 4],
        [5, 6, 7],
      ],
    );
    assert.deepEqual(sent, [2, 4, 7]);
  });

  it('skips what the filter does not want, yet moves past it', () => {
    const stream = newStream();
    const socket = new FakeSocket();
    const { sub, sent } = subscriber(socket, stream, 1, { wants: (e) => e.event === 'chat' });
    sub.start();
    const mixed = [
      ...appendChats(stream, 1),
      ...appendChats(stream, 1, 'like'),
      ...appendChats(stream, 1),
      ...appendChats(stream, 1, 'like'),
    ];
    sub.flush(burstOf(mixed));
    assert.deepEqual(socket.seqs(), [1, 3]);
    assert.deepEqual(sent, [3]);
    sub.flush(burstOf(appendChats(stream, 1, 'like')));
    sub.flush(burstOf(appendChats(stream, 1)));
    assert.deepEqual(socket.seqs(), [1, 3, 6]);
  });

  it('writes nothing once the WebSocket has left OPEN', () => {
    const stream = newStream();
    const socket = new FakeSocket();
    const { sub } = subscriber(socket, stream, 1);
    socket.readyState = CLOSING;
    sub.flush(burstOf(appendChats(stream, 2)));
    assert.equal(socket.writes.length, 0);
  });

  it('refuses a socket with extensions: its frames are written ready-made', () => {
    const socket = new FakeSocket('permessage-deflate');
    assert.throws(() => subscriber(socket, newStream(), 1), /no extensions/);
  });
});
