import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CREATOR_EVENT_NAMES } from '@tiktool/protocol';
import type { Emulator } from '@tiktool/emulator';
import type { Gateway } from '../src/index.js';
import { RawClient, TEST_KEY, connectUrl, startEmulatedGateway } from './helpers.js';

/** The events mapped since the seed set, each of which the emulator's script produces early. */
const NEW_EVENTS = CREATOR_EVENT_NAMES.slice(CREATOR_EVENT_NAMES.indexOf('imDelete'), CREATOR_EVENT_NAMES.indexOf('streamEnd'));

describe('every typed event reaches a client socket', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  before(async () => {
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 0 }));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('receives each new event type, typed, with msgId and timestamp', async () => {
    assert.equal(NEW_EVENTS.length, 16);
    const uniqueId = 'events_all';
    const c = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
    await c.until((x) => x.roomInfo !== undefined);
    emulator.emit(uniqueId, 80);
    await c.until((x) => NEW_EVENTS.every((name) => x.events(name).length > 0));
    for (const name of NEW_EVENTS) {
      const e = c.events(name)[0];
      assert.match(String(e.data.msgId), /^\d+$/, `${name} msgId`);
      assert.equal(typeof e.data.timestamp, 'number', `${name} timestamp`);
      assert.equal(typeof e.seq, 'number', `${name} seq`);
    }
    assert.equal(c.events('unknown').length, 0);
    c.close();
  });

  it('a paused LIVE keeps the connection open; only the end closes it', async () => {
    const uniqueId = 'events_pause';
    const c = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
    await c.until((x) => x.roomInfo !== undefined);
    emulator.emit(uniqueId, 80);
    await c.until((x) => x.events('liveUnpause').length > 0);
    emulator.emit(uniqueId, 3);
    const before = c.events().length;
    await c.until((x) => x.events().length >= before + 3);
    emulator.endStream(uniqueId);
    const closed = await c.closed;
    assert.equal(closed.code, 4005);
    assert.ok(c.events('livePause')[0].seq! < c.events('streamEnd')[0].seq!);
  });
});
