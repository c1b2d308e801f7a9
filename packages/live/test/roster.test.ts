import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { CreatorEnvelope, LiveStatusData, RoomInfoData } from '@tiktool/protocol';
import { TikTokLive, type ChatData, type TikTokLiveOptions } from '../src/index.js';
import { chat, roomInfo, ScriptedGateway, streamEnd, type ScriptedConnection, type Script } from './scripted-gateway.js';
import { collect, FAST_RECONNECT, nextEvent } from './helpers.js';

let gateway: ScriptedGateway | undefined;
let client: TikTokLive<string | readonly string[]> | undefined;

afterEach(async () => {
  client?.disconnect();
  client = undefined;
  await gateway?.stop();
  gateway = undefined;
});

const ROSTER_SESSION = 'roster_sess_0001';

async function rosterSetup(creators: readonly string[], script: Script, options: TikTokLiveOptions = {}) {
  gateway = await ScriptedGateway.start(script);
  const roster = new TikTokLive(creators, { apiKey: 'key_1', url: gateway.url, reconnect: FAST_RECONNECT, ...options });
  client = roster;
  return { gateway, client: roster };
}

function rosterInfo(c: ScriptedConnection, creators: string[], resumed = false): void {
  c.send({ event: 'rosterInfo', data: { sessionId: ROSTER_SESSION, creators, resumed } });
}

function creatorInfo(uniqueId: string, overrides: Partial<RoomInfoData> = {}): RoomInfoData {
  return roomInfo({ uniqueId, sessionId: ROSTER_SESSION, roomId: `room_${uniqueId}`, ...overrides });
}

function chatOf(uniqueId: string, seq: number): CreatorEnvelope<'chat'> {
  return { ...chat(seq, `${uniqueId} says ${seq}`), uniqueId };
}

function liveStatus(uniqueId: string, live: boolean): { event: 'liveStatus'; data: LiveStatusData } {
  return { event: 'liveStatus', data: { uniqueId, live, checkedAt: 1_764_633_600_000, ...(live ? {} : { reason: 'not live' }) } };
}

/** Answers every subscribe/unsubscribe frame the client sends with the roster after it. */
function answerRosterFrames(c: ScriptedConnection, creators: string[]): void {
  c.socket.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as { action: string; uniqueId: string; id: string };
    if (frame.uniqueId.startsWith('missing_')) {
      c.send({
        event: 'error',
        data: { code: 4404, message: 'creator not found', action: frame.action, uniqueId: frame.uniqueId, id: frame.id },
      });
      return;
    }
    if (frame.action === 'subscribe' && !creators.includes(frame.uniqueId)) creators.push(frame.uniqueId);
    if (frame.action === 'unsubscribe' && creators.includes(frame.uniqueId)) creators.splice(creators.indexOf(frame.uniqueId), 1);
    c.send({ event: `${frame.action}d`, data: { uniqueId: frame.uniqueId, creators: [...creators], id: frame.id } });
  });
}

// Compile-time: a roster's connect() resolves with rosterInfo, a single client's with roomInfo.
async function typeChecks(): Promise<void> {
  const roster = new TikTokLive(['a', 'b']);
  (await roster.connect()).creators satisfies string[];
  const single = new TikTokLive('a');
  (await single.connect()).roomId satisfies string;
  roster.on('liveStatus', (status, envelope) => void [status.live satisfies boolean, envelope.data.checkedAt satisfies number]);
  roster.on('chat', (_d, envelope) => void (envelope.uniqueId satisfies string));
}
void typeChecks;

describe('a roster client', () => {
  it('asks for its creators by normalised name, resolves connect() with rosterInfo and tags every event with its creator', async () => {
    const { gateway, client } = await rosterSetup(['@Alice', 'https://www.tiktok.com/@bob/live', 'alice', 'carol'], (c) => {
      rosterInfo(c, ['alice', 'bob', 'carol']);
      c.send({ event: 'roomInfo', data: creatorInfo('alice', { seq: 4 }) });
      c.send(liveStatus('bob', false));
      c.send({ event: 'roomInfo', data: creatorInfo('carol', { seq: 40 }) });
      c.send(chatOf('alice', 5));
      c.send(chatOf('carol', 41));
      c.send(chatOf('alice', 6));
    });
    const chats = collect(client, 'chat', 3);
    const status = nextEvent(client, 'liveStatus');
    const info = await client.connect();
    assert.deepEqual(info, { sessionId: ROSTER_SESSION, creators: ['alice', 'bob', 'carol'], resumed: false });
    assert.equal(gateway.connections[0].query.get('uniqueIds'), 'alice,bob,carol');
    assert.equal(gateway.connections[0].query.has('uniqueId'), false);
    assert.equal(client.state, 'open');
    assert.equal(client.uniqueId, undefined);

    const seen = (await chats).map(
      ([data, envelope]: [ChatData, CreatorEnvelope<'chat'>]) => `${envelope.uniqueId}:${envelope.seq}:${data.comment}`,
    );
    assert.deepEqual(seen, ['alice:5:alice says 5', 'carol:41:carol says 41', 'alice:6:alice says 6']);
    const [statusData, statusEnvelope] = await status;
    assert.deepEqual(statusData, { uniqueId: 'bob', live: false, checkedAt: 1_764_633_600_000, reason: 'not live' });
    assert.equal(statusEnvelope.event, 'liveStatus');
    assert.equal(client.creator('@Bob')?.live, false);
    assert.equal(client.creator('alice')?.live, true);
    assert.equal(client.creator('alice')?.lastSeq, 6);
    assert.equal(client.creator('dave'), undefined);
  });

  it('subscribes and unsubscribes with answered frames, and rejects a refused one with its code', async () => {
    const { gateway, client } = await rosterSetup(['alice'], (c) => {
      rosterInfo(c, ['alice']);
      answerRosterFrames(c, ['alice']);
    });
    await client.connect();
    assert.deepEqual(await client.subscribe('@Dave'), ['alice', 'dave']);
    assert.deepEqual(gateway.connections[0].received[0], { action: 'subscribe', uniqueId: 'dave', id: 'r1' });
    assert.deepEqual(client.creators, ['alice', 'dave']);
    assert.deepEqual(await client.unsubscribe('alice'), ['dave']);
    assert.deepEqual(client.creators, ['dave']);

    await assert.rejects(client.subscribe('missing_mo'), (err: Error & { code?: string; closeCode?: number }) => {
      assert.equal(err.code, 'ERR_REFUSED');
      assert.equal(err.closeCode, 4404);
      assert.match(err.message, /@missing_mo: creator not found \(4404\)/);
      return true;
    });
    await assert.rejects(client.subscribe('not a name!'), { code: 'ERR_INVALID_ARGUMENT' });
    assert.deepEqual(client.creators, ['dave']);
  });

  it('reconnects with the roster session and each creator position, subscribes made after connecting included, dropping duplicates per creator', async () => {
    const { gateway, client } = await rosterSetup(['alice', 'bob'], (c, index) => {
      if (index === 0) {
        rosterInfo(c, ['alice', 'bob']);
        answerRosterFrames(c, ['alice', 'bob']);
        c.send({ event: 'roomInfo', data: creatorInfo('alice', { seq: 10 }) });
        c.send(liveStatus('bob', false));
        c.send(chatOf('alice', 11));
        return;
      }
      rosterInfo(c, ['alice', 'bob', 'carol'], true);
      // alice resumes with a replay overlapping what was delivered; carol resumes with a gap.
      c.send({ event: 'roomInfo', data: creatorInfo('alice', { seq: 13, resumed: true, recovered: true, replayed: 2 }) });
      c.send(chatOf('alice', 12));
      c.send(chatOf('alice', 13));
      c.send({ event: 'roomInfo', data: creatorInfo('carol', { epoch: 'epoch-c2', seq: 3, resumed: true, recovered: false }) });
      c.send(chatOf('carol', 4));
      c.send(chatOf('alice', 14));
      c.send(liveStatus('bob', false));
    });
    const firstChat = nextEvent(client, 'chat');
    await client.connect();
    await firstChat;
    const carolLive = nextEvent(client, 'connected');
    const chatsBefore = collect(client, 'chat', 2);
    await client.subscribe('carol');
    gateway.connections[0].send({ event: 'roomInfo', data: creatorInfo('carol', { seq: 20 }) });
    gateway.connections[0].send(chatOf('carol', 21));
    gateway.connections[0].send(chatOf('alice', 12));
    assert.equal((await carolLive)[0].uniqueId, 'carol');
    await chatsBefore;

    const resumed = collect(client, 'resumed', 2);
    const after = collect(client, 'chat', 3);
    gateway.connections[0].terminate();
    const seen = (await after).map(([, e]: [ChatData, CreatorEnvelope<'chat'>]) => `${e.uniqueId}:${e.seq}`);
    assert.deepEqual(seen, ['alice:13', 'carol:4', 'alice:14'], 'alice 12 was delivered before the drop');
    const query = gateway.connections[1].query;
    assert.equal(query.get('uniqueIds'), 'alice,bob,carol');
    assert.equal(query.get('sessionId'), ROSTER_SESSION);
    assert.equal(query.get('lastSeqs'), 'alice:12,carol:21');
    assert.deepEqual(
      (await resumed).map(([r]) => r),
      [
        { uniqueId: 'alice', recovered: true, replayed: 2 },
        { uniqueId: 'carol', recovered: false, replayed: 0 },
      ],
    );
  });

  it('sends a subscribe again on the next socket when the first dropped before answering', async () => {
    const { gateway, client } = await rosterSetup(['alice'], (c, index) => {
      rosterInfo(c, ['alice']);
      if (index === 1) answerRosterFrames(c, ['alice']);
    });
    await client.connect();
    const answer = client.subscribe('dave');
    assert.deepEqual(await gateway.connections[0].nextFrame(), { action: 'subscribe', uniqueId: 'dave', id: 'r1' });
    gateway.connections[0].terminate();
    assert.deepEqual(await answer, ['alice', 'dave']);
    assert.deepEqual(gateway.connections[1].received, [{ action: 'subscribe', uniqueId: 'dave', id: 'r1' }]);
  });

  it('drops a creator the gateway refuses or cannot find, and reports it', async () => {
    const { gateway, client } = await rosterSetup(['alice', 'missing_mo'], (c) => {
      rosterInfo(c, ['alice', 'missing_mo']);
      c.send({ event: 'error', data: { code: 4404, message: 'creator not found', uniqueId: 'missing_mo' } });
      c.send({ event: 'error', data: { code: 4500, message: 'upstream failed', uniqueId: 'alice' } });
    });
    const errors = collect(client, 'error', 2);
    await client.connect();
    const [[notFound], [upstream]] = await errors;
    assert.equal((notFound as { code?: string }).code, 'ERR_REFUSED');
    assert.match(notFound.message, /@missing_mo: creator not found/);
    assert.match(upstream.message, /@alice: upstream failed \(4500\)/);
    assert.deepEqual(client.creators, ['alice'], 'an upstream failure is retried by the gateway: alice stays');
    gateway.connections[0].close(1012, 'restart');
    await gateway.connectionCount(2);
    assert.equal(gateway.connections[1].query.get('uniqueIds'), 'alice');
  });

  it('changes its roster locally before connect(), and rejects subscribe() on a single-creator client', async () => {
    const { gateway, client } = await rosterSetup([], (c) => rosterInfo(c, ['erin']));
    assert.deepEqual(await client.subscribe('erin'), ['erin']);
    await client.connect();
    assert.equal(gateway.connections[0].query.get('uniqueIds'), 'erin');
    await assert.rejects(new TikTokLive('solo').subscribe('x'), { code: 'ERR_INVALID_STATE' });
  });
});

describe('waitForLive', () => {
  it('waits on a creator who is not live, resolves connect() when it goes live, and waits again after the stream ends', async () => {
    gateway = await ScriptedGateway.start((c) => {
      c.send(liveStatus('streamer', false));
    });
    const single = new TikTokLive('streamer', { url: gateway.url, apiKey: 'key_1', waitForLive: true, reconnect: FAST_RECONNECT });
    client = single;
    const waiting = nextEvent(single, 'liveStatus');
    const connected = single.connect();
    assert.equal((await waiting)[0].live, false);
    assert.equal(single.state, 'waiting');
    assert.equal(gateway.connections[0].query.get('waitForLive'), '1');

    const c = gateway.connections[0];
    c.send(liveStatus('streamer', true));
    c.roomInfo({ seq: 5 });
    c.send(chat(6));
    assert.equal((await connected).seq, 5);
    assert.equal(single.state, 'open');

    const errors = collect(single, 'error', 1);
    let resumes = 0;
    single.on('resumed', () => resumes++);
    const again = nextEvent(single, 'connected');
    const chatAfter = nextEvent(single, 'chat');
    c.send(streamEnd(7));
    c.send(liveStatus('streamer', false));
    c.roomInfo({ seq: 7, epoch: 'epoch-b' });
    c.send(chat(8));
    const [info] = await again;
    assert.equal(info.epoch, 'epoch-b');
    await chatAfter;
    assert.equal(single.lastSeq, 8);
    assert.equal(resumes, 0, 'a creator going live again is no resume');
    c.send({ event: 'roomInfo', data: roomInfo({ seq: 8 }) });
    assert.match((await errors)[0][0].message, /a second roomInfo on one connection/);
  });
});
