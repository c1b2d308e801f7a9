import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '@tiktool/emulator';
import { waitFor } from '@tiktool/testkit';
import type { Gateway } from '../src/index.js';
import { startEmulatedGateway } from './helpers.js';
import { api } from './webhook-api.js';
import { WebhookReceiver, verifies } from './webhook-receiver.js';

const FINGER_HEART = 5487; // 5 diamonds, streakable

describe('webhooks without a socket: live.start, gifts and live.end of a watched creator', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await WebhookReceiver.start();
    ({ gateway, emulator } = await startEmulatedGateway({
      emulatorRate: 0,
      liveCheckMs: 200,
      webhookAllowPrivate: true,
      webhookRetryBaseMs: 100,
    }));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
    await receiver.close();
  });

  it('a creator switched live sends one signed live.start, its 1,000-diamond streak one gift, its end one live.end', async () => {
    const uniqueId = 'offline_hooked';
    const created = await api(gateway, 'POST', '/v1/webhooks', {
      url: receiver.url('/live'),
      creators: [uniqueId],
      events: ['live.start', 'live.end', 'gift'],
      minDiamonds: 1000,
    });
    assert.equal(created.status, 201);
    const secret = created.body.secret as string;
    assert.equal(gateway.hub.get(uniqueId), undefined, 'nothing is opened while the creator is offline');

    emulator.setLive(uniqueId, true);
    await waitFor(() => receiver.of('live.start').length > 0, { what: 'live.start' });
    const [start] = receiver.of('live.start');
    assert.ok(verifies(start, secret), 'live.start is signed');
    assert.equal(start.body.uniqueId, uniqueId);
    assert.equal(start.body.data.roomId, emulator.roomId(uniqueId));
    assert.equal(start.headers['x-tiktool-event-id'], start.body.id);

    // No socket: the webhooks hold the creator's upstream themselves.
    await waitFor(() => gateway.hub.get(uniqueId)?.isRetired === false, { what: 'the upstream held for webhooks' });
    emulator.gift(uniqueId, FINGER_HEART, 200, 4);
    await waitFor(() => receiver.of('gift').length > 0, { what: 'the gift' });

    emulator.setLive(uniqueId, false);
    await waitFor(() => receiver.of('live.end').length > 0, { what: 'live.end' });
    const [end] = receiver.of('live.end');
    assert.ok(verifies(end, secret));
    assert.equal(end.body.data.roomId, start.body.data.roomId);
    await waitFor(() => gateway.hub.get(uniqueId) === undefined, { what: 'the upstream let go' });

    const ping = await api(gateway, 'POST', `/v1/webhooks/${created.body.id}/test`);
    await waitFor(() => receiver.acceptedIds().includes(ping.body.eventId as string), { what: 'a ping after the rest' });
    assert.deepEqual(
      receiver.received.filter((r) => r.path === '/live').map((r) => r.body.type),
      ['live.start', 'gift', 'live.end', 'ping'],
      'each once, in order',
    );
    const gift = receiver.of('gift')[0].body.data;
    assert.deepEqual([gift.giftId, gift.repeatCount, gift.totalDiamondCount], [FINGER_HEART, 200, 1000]);
  });
});
