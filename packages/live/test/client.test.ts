import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { WebSocket as WsWebSocket } from 'ws';
import { TikTokLive, TikTokLiveError, type GiftData, type CreatorEnvelope, type WebSocketConstructor } from '../src/index.js';
import { chat, gift, roomInfo, ScriptedGateway, streamEnd, type Script } from './scripted-gateway.js';
import { collect, countEvents, FAST_RECONNECT, nextEvent } from './helpers.js';

let gateway: ScriptedGateway | undefined;
let client: TikTokLive | undefined;

afterEach(async () => {
  client?.disconnect();
  client = undefined;
  await gateway?.stop();
  gateway = undefined;
});

async function setup(script: Script, options: ConstructorParameters<typeof TikTokLive>[1] = {}) {
  gateway = await ScriptedGateway.start(script);
  client = new TikTokLive('streamer', { apiKey: 'key_1', url: gateway.url, reconnect: FAST_RECONNECT, ...options });
  return { gateway, client };
}

// Compile-time: the platform's WebSocket and the ws package's both fit the option.
const domFits: typeof WebSocket extends WebSocketConstructor ? true : false = true;
const wsFits: typeof WsWebSocket extends WebSocketConstructor ? true : false = true;
void domFits;
void wsFits;

// Compile-time: listeners are typed by event name.
function typeChecks(c: TikTokLive): void {
  c.on('gift', (d: GiftData, envelope) => void [d.repeatEnd, envelope.seq satisfies number]);
  c.on('disconnected', (e) => void (e.willReconnect satisfies boolean));
  // @ts-expect-error a chat listener does not get GiftData
  c.on('chat', (d: GiftData) => void d);
  // @ts-expect-error no such event
  c.on('chats', () => {});
}
void typeChecks;

describe('connecting', () => {
  it('resolves connect() with roomInfo and delivers typed events to handlers', async () => {
    const { gateway, client } = await setup(
      (c) => {
        c.roomInfo({ seq: 7, title: 'hello' });
        c.send(chat(8, 'first!'));
        c.send(gift(9));
      },
      { events: ['chat', 'gift'] },
    );
    const gifts = nextEvent(client, 'gift');
    const chats = nextEvent(client, 'chat');
    const info = await client.connect();
    assert.equal(info.title, 'hello');
    assert.equal(client.state, 'open');

    const [chatData, chatEnvelope] = await chats;
    assert.equal(chatData.comment, 'first!');
    assert.equal(chatData.user.uniqueId, 'viewer');
    assert.equal(chatEnvelope.seq, 8);
    const [giftData]: [GiftData, CreatorEnvelope<'gift'>] = await gifts;
    assert.equal(giftData.giftName, 'Rose');
    assert.equal(client.lastSeq, 9);
    assert.equal(client.sessionId, 'sess_0000000001');

    const query = gateway.connections[0].query;
    assert.equal(query.get('uniqueId'), 'streamer');
    assert.equal(query.get('apiKey'), null, 'the key is not in the URL');
    assert.deepEqual(gateway.connections[0].protocols, ['tiktool.v1', 'apikey.key_1']);
    assert.equal(query.get('events'), 'chat,gift');
    assert.equal(query.get('sessionId'), null);
    assert.equal(query.get('lastSeq'), null);
  });

  it('emits roomInfo and connected with the roomInfo data', async () => {
    const { client } = await setup((c) => c.roomInfo({ viewerCount: 5 }));
    const roomInfo = nextEvent(client, 'roomInfo');
    const connected = nextEvent(client, 'connected');
    await client.connect();
    const [data, envelope] = await roomInfo;
    assert.equal(data.viewerCount, 5);
    assert.equal(envelope.event, 'roomInfo');
    assert.equal((await connected)[0].viewerCount, 5);
  });

  it('rejects connect() with a TikTokLiveError carrying 4401 and does not reconnect', async () => {
    const { gateway, client } = await setup((c) => c.close(4401, 'invalid api key'));
    const reconnects = countEvents(client, 'reconnecting');
    const disconnected = nextEvent(client, 'disconnected');
    const error = await client.connect().then(
      () => assert.fail('connect() should reject'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof TikTokLiveError);
    assert.equal(error.code, 'ERR_CONNECTION_CLOSED');
    assert.equal(error.closeCode, 4401);
    assert.equal(error.reason, 'invalid api key');
    assert.deepEqual((await disconnected)[0], { code: 4401, reason: 'invalid api key', willReconnect: false });
    assert.equal(client.state, 'closed');
    // A reconnect is scheduled, and announced, in the same turn as the disconnect.
    assert.equal(reconnects.count, 0);
    assert.equal(gateway.connections.length, 1);
  });

  for (const code of [4400, 4403, 4404, 4005, 1008]) {
    it(`does not reconnect after ${code}`, async () => {
      const { gateway, client } = await setup((c) => {
        c.roomInfo();
        c.close(code, 'final');
      });
      const reconnects = countEvents(client, 'reconnecting');
      const disconnected = nextEvent(client, 'disconnected');
      await client.connect();
      assert.deepEqual((await disconnected)[0], { code, reason: 'final', willReconnect: false });
      assert.equal(client.state, 'closed');
      assert.equal(reconnects.count, 0);
      assert.equal(gateway.connections.length, 1);
    });
  }

  it('rejects connect() with 4404 when the creator is not live', async () => {
    const { client } = await setup((c) => c.close(4404, 'creator not live'));
    await assert.rejects(client.connect(), { name: 'TikTokLiveError', closeCode: 4404 });
  });

  it('disconnect() closes with 1000, stops reconnecting and rejects a pending connect()', async () => {
    const { gateway, client } = await setup((c) => c.roomInfo());
    await client.connect();
    const disconnected = nextEvent(client, 'disconnected');
    client.disconnect();
    assert.equal(client.state, 'closed');
    assert.deepEqual((await disconnected)[0].willReconnect, false);
    assert.equal(await gateway.connections[0].closed, 1000);

    const silent = await ScriptedGateway.start(() => {});
    const waiting = new TikTokLive('streamer', { url: silent.url });
    const pending = waiting.connect();
    await silent.connectionCount(1);
    waiting.disconnect();
    await assert.rejects(pending, { code: 'ERR_DISCONNECTED' });
    await silent.stop();
  });

  it('gives up after reconnect.maxAttempts and rejects connect()', async () => {
    const { gateway, client } = await setup((c) => c.close(1011, 'boom'), {
      reconnect: { ...FAST_RECONNECT, maxAttempts: 2 },
    });
    await assert.rejects(client.connect(), { code: 'ERR_RECONNECT_EXHAUSTED', closeCode: 1011 });
    assert.equal(gateway.connections.length, 3);
  });

  it('retries an unreachable gateway (socket error, 1006) until maxAttempts', async () => {
    const { gateway } = await setup(() => {});
    const unreachable = gateway.url;
    await gateway.stop();
    client = new TikTokLive('streamer', { url: unreachable, reconnect: { ...FAST_RECONNECT, maxAttempts: 2 } });
    const attempts = collect(client, 'reconnecting', 2);
    await assert.rejects(client.connect(), { code: 'ERR_UNREACHABLE', closeCode: 1006 });
    assert.deepEqual(
      (await attempts).map(([e]) => e.attempt),
      [1, 2],
    );
  });

  it('does not reconnect when reconnect is false', async () => {
    const { gateway, client } = await setup(
      (c) => {
        c.roomInfo();
        c.close(1001, 'going away');
      },
      { reconnect: false },
    );
    const reconnects = countEvents(client, 'reconnecting');
    const disconnected = nextEvent(client, 'disconnected');
    await client.connect();
    assert.equal((await disconnected)[0].willReconnect, false);
    assert.equal(reconnects.count, 0);
    assert.equal(gateway.connections.length, 1);
  });

  it('uses the WebSocket class given in the options', async () => {
    let constructed = 0;
    class CountingWebSocket extends WsWebSocket {
      constructor(url: string) {
        super(url);
        constructed += 1;
      }
    }
    const { client } = await setup((c) => c.roomInfo(), { WebSocket: CountingWebSocket });
    await client.connect();
    assert.equal(constructed, 1);
  });

  it('rejects invalid arguments synchronously', () => {
    assert.throws(() => new TikTokLive(''), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => new TikTokLive('x', { url: 'http://localhost' }), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => new TikTokLive('x', { reconnect: { baseDelayMs: -1 } }), { code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('reconnecting and resuming', () => {
  for (const [code, how] of [
    [1001, 'close'],
    [1006, 'terminate'],
    [4008, 'close'],
    [4555, 'close'],
    [1011, 'close'],
  ] as const) {
    it(`reconnects after ${code} with sessionId and lastSeq`, async () => {
      const { gateway, client } = await setup((c, index) => {
        if (index === 0) {
          c.roomInfo({ seq: 10 });
          c.send(chat(11));
          c.send(chat(12));
        } else {
          c.roomInfo({ seq: 12, resumed: true, recovered: true, replayed: 0 });
        }
      });
      const twoChats = collect(client, 'chat', 2);
      await client.connect();
      await twoChats;

      const disconnected = nextEvent(client, 'disconnected');
      const reconnecting = nextEvent(client, 'reconnecting');
      const resumed = nextEvent(client, 'resumed');
      if (how === 'terminate') gateway.connections[0].terminate();
      else gateway.connections[0].close(code, 'bye');

      assert.deepEqual((await disconnected)[0], { code, reason: how === 'terminate' ? '' : 'bye', willReconnect: true });
      assert.equal((await reconnecting)[0].attempt, 1);
      assert.deepEqual((await resumed)[0], { uniqueId: 'streamer', recovered: true, replayed: 0 });
      const query = gateway.connections[1].query;
      assert.equal(query.get('sessionId'), 'sess_0000000001');
      assert.equal(query.get('lastSeq'), '12');
      assert.deepEqual(gateway.connections[1].protocols, ['tiktool.v1', 'apikey.key_1']);
      assert.equal(client.state, 'open');
    });
  }

  it('resumes an immediate first attempt after a resume-rule close', async () => {
    const { gateway, client } = await setup((c, index) => {
      c.roomInfo({ resumed: index > 0 });
      if (index === 0) c.close(1012, 'restarting');
    });
    const reconnecting = nextEvent(client, 'reconnecting');
    await client.connect();
    assert.deepEqual((await reconnecting)[0], { attempt: 1, delayMs: 0 });
    await gateway.connectionCount(2);
  });

  it('sends the session start seq as lastSeq when no event arrived yet', async () => {
    const { gateway, client } = await setup((c, index) => {
      c.roomInfo({ seq: 500, resumed: index > 0 });
      if (index === 0) c.close(1001);
    });
    const resumed = nextEvent(client, 'resumed');
    await client.connect();
    await resumed;
    assert.equal(gateway.connections[1].query.get('lastSeq'), '500');
  });

  it('waits the delay named in a 4429 reason', async () => {
    const { gateway, client } = await setup((c, index) => {
      if (index === 0) c.close(4429, 'too many connects; retry after 0.2 s');
      else c.roomInfo();
    });
    const reconnecting = nextEvent(client, 'reconnecting');
    const started = performance.now();
    await client.connect();
    assert.deepEqual((await reconnecting)[0], { attempt: 1, delayMs: 200 });
    assert.ok(performance.now() - started >= 190, 'reconnected before the delay');
    assert.equal(gateway.connections.length, 2);
  });

  it('delivers replayed events once when the replay overlaps what was delivered', async () => {
    const { gateway, client } = await setup((c, index) => {
      if (index === 0) {
        c.roomInfo({ seq: 0 });
        for (let seq = 1; seq <= 5; seq++) c.send(chat(seq));
        c.send(chat(5)); // a duplicate on the same connection
      } else {
        // A server that replays too much: 3..5 again, then live 6, 7, 8.
        c.roomInfo({ seq: 5, resumed: true, recovered: true, replayed: 3 });
        for (let seq = 3; seq <= 8; seq++) c.send(chat(seq));
      }
    });
    const seqs: number[] = [];
    client.on('chat', (_data, envelope) => seqs.push(envelope.seq));
    const firstFive = collect(client, 'chat', 5);
    await client.connect();
    await firstFive;
    const lastThree = collect(client, 'chat', 3);
    gateway.connections[0].close(4008, 'slow consumer');
    await lastThree; // any duplicate was sent before 8, so it has arrived by now
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(client.lastSeq, 8);
  });

  it('reports recovered:false and restarts seq tracking when the epoch changes', async () => {
    const { gateway, client } = await setup((c, index) => {
      if (index === 0) {
        c.roomInfo({ epoch: 'epoch-a', seq: 100 });
        c.send(chat(101));
        c.send(chat(102));
      } else {
        // The gateway restarted: a new history whose seqs are lower than ours.
        c.roomInfo({ epoch: 'epoch-b', seq: 3, resumed: true, recovered: true, replayed: 0 });
        c.send(chat(4));
        c.send(chat(5));
      }
    });
    const before = collect(client, 'chat', 2);
    await client.connect();
    await before;
    const resumed = nextEvent(client, 'resumed');
    const after = collect(client, 'chat', 2);
    gateway.connections[0].close(1001, 'going away');
    assert.deepEqual((await resumed)[0], { uniqueId: 'streamer', recovered: false, replayed: 0 });
    assert.deepEqual(
      (await after).map(([, envelope]) => envelope.seq),
      [4, 5],
    );
    assert.equal(client.epoch, 'epoch-b');
    assert.equal(client.lastSeq, 5);
  });

  it('accepts a replay of the new epoch from its start', async () => {
    const { gateway, client } = await setup((c, index) => {
      if (index === 0) {
        c.roomInfo({ epoch: 'epoch-a', seq: 100 });
      } else {
        c.roomInfo({ epoch: 'epoch-b', seq: 2, resumed: true, recovered: false, replayed: 2 });
        c.send(chat(1));
        c.send(chat(2));
      }
    });
    await client.connect();
    const replayed = collect(client, 'chat', 2);
    gateway.connections[0].close(1012);
    assert.deepEqual(
      (await replayed).map(([, envelope]) => envelope.seq),
      [1, 2],
    );
  });

  it('accepts batch frames (JSON arrays of envelopes)', async () => {
    const { gateway, client } = await setup(
      (c) => {
        c.send([{ event: 'roomInfo', data: roomInfo() }, chat(1), gift(2)]);
        c.send([chat(3), chat(2)]);
      },
      { batch: true },
    );
    const seen: string[] = [];
    client.on('chat', (_d, e) => seen.push(`chat:${e.seq}`));
    client.on('gift', (_d, e) => seen.push(`gift:${e.seq}`));
    const three = collect(client, 'chat', 2);
    await client.connect();
    await three;
    assert.deepEqual(seen, ['chat:1', 'gift:2', 'chat:3']);
    assert.equal(gateway.connections[0].query.get('batch'), '1');
  });
});

describe('errors', () => {
  it('routes listener exceptions to error without losing other events', async () => {
    const { client } = await setup((c) => {
      c.roomInfo();
      c.send(chat(1));
      c.send(chat(2));
    });
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    client.on('chat', (d) => {
      if (d.comment === 'message 1') throw new Error('listener bug');
    });
    const both = collect(client, 'chat', 2);
    await client.connect();
    await both;
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof TikTokLiveError);
    assert.equal(errors[0].code, 'ERR_HANDLER');
    assert.equal((errors[0].cause as Error).message, 'listener bug');
  });

  it('reports frames that break the contract and keeps going', async () => {
    const { client } = await setup((c) => {
      c.socket.send('not json');
      c.roomInfo();
      c.send({ event: 'chat', data: {} });
      c.send(chat(1));
    });
    const errors: TikTokLiveError[] = [];
    client.on('error', (e) => errors.push(e as TikTokLiveError));
    const one = nextEvent(client, 'chat');
    await client.connect();
    await one;
    assert.deepEqual(
      errors.map((e) => e.code),
      ['ERR_PROTOCOL', 'ERR_PROTOCOL'],
    );
  });
});

describe('async iterator', () => {
  it('yields every event once across a reconnect and ends on 4005', async () => {
    const { gateway, client } = await setup((c, index) => {
      if (index === 0) {
        c.roomInfo({ seq: 0 });
        for (let seq = 1; seq <= 3; seq++) c.send(chat(seq));
      } else {
        c.roomInfo({ seq: 3, resumed: true, recovered: true, replayed: 2 });
        for (let seq = 2; seq <= 5; seq++) c.send(chat(seq));
        c.send(streamEnd(6));
        c.close(4005, 'stream ended');
      }
    });
    const firstThree = collect(client, 'chat', 3);
    void client.connect();
    const received: CreatorEnvelope[] = [];
    const loop = (async () => {
      for await (const envelope of client) received.push(envelope);
    })();
    await firstThree;
    gateway.connections[0].terminate();
    await loop;
    assert.deepEqual(
      received.map((e) => `${e.event}:${e.seq}`),
      ['chat:1', 'chat:2', 'chat:3', 'chat:4', 'chat:5', 'streamEnd:6'],
    );
    assert.equal(client.state, 'closed');
  });

  it('ends normally on disconnect()', async () => {
    const { client } = await setup((c) => {
      c.roomInfo();
      c.send(chat(1));
    });
    // Iterate from the moment connect() is called: events can arrive in the same
    // tick as roomInfo, before an awaited connect() returns.
    void client.connect();
    const received: number[] = [];
    for await (const envelope of client) {
      received.push(envelope.seq);
      client.disconnect();
    }
    assert.deepEqual(received, [1]);
  });

  it('throws the TikTokLiveError when the client stops on an error code', async () => {
    const { client } = await setup((c) => {
      c.roomInfo();
      c.send(chat(1));
      c.close(4401, 'key revoked');
    });
    void client.connect();
    const received: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const envelope of client) received.push(envelope.seq);
      })(),
      { code: 'ERR_CONNECTION_CLOSED', closeCode: 4401 },
    );
    assert.deepEqual(received, [1]);
  });

  it('stops receiving when the loop breaks', async () => {
    const { gateway, client } = await setup((c) => {
      c.roomInfo();
      c.send(chat(1));
    });
    void client.connect();
    for await (const envelope of client) {
      assert.equal(envelope.seq, 1);
      break;
    }
    gateway.connections[0].send(chat(2));
    await nextEvent(client, 'chat'); // the client still runs; the iterator is gone
    assert.equal(client.state, 'open');
  });
});
