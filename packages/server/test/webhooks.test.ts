import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Emulator } from '@tiktool/emulator';
import { waitFor } from '@tiktool/testkit';
import type { Gateway } from '../src/index.js';
import { WebhookSender } from '../src/webhooks/webhook-sender.js';
import { RawClient, TEST_KEY, connectUrl, startEmulatedGateway, startTestGateway } from './helpers.js';
import { OpenApiCheck } from './openapi-check.js';
import { checkedApi, errorCode } from './webhook-api.js';
import { WebhookReceiver, verifies } from './webhook-receiver.js';

const FINGER_HEART = 5487; // 5 diamonds, streakable
const DOUGHNUT = 5879; // 30 diamonds, streakable
const GALAXY = 11046; // 1000 diamonds, not streakable

/** The gateway's OpenAPI document: every answer below, and every request a receiver gets, is checked against it. */
let doc: OpenApiCheck;
const api = checkedApi(() => doc);

/** Checks every request the receiver got against the document's `webhooks`. */
function checkReceived(receiver: WebhookReceiver): void {
  for (const r of receiver.received) doc.assertWebhook(r.body);
}

interface Created {
  id: string;
  secret: string;
}

async function create(gateway: Gateway, body: Record<string, unknown>, key = TEST_KEY): Promise<Created> {
  const res = await api(gateway, 'POST', '/v1/webhooks', body, key);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as unknown as Created;
}

/** Sends a ping and waits until the receiver has it: every event enqueued before it for this endpoint is through by then (in order). */
async function flush(gateway: Gateway, receiver: WebhookReceiver, id: string): Promise<void> {
  const { body } = await api(gateway, 'POST', `/v1/webhooks/${id}/test`);
  await waitFor(() => receiver.acceptedIds().includes(body.eventId as string), { what: 'the ping after the events' });
}

describe('webhooks: endpoints, signed deliveries, retries', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await WebhookReceiver.start();
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 0, webhookAllowPrivate: true, webhookRetryBaseMs: 100 }));
    doc = await OpenApiCheck.load(gateway.url);
  });
  afterEach(() => checkReceived(receiver));
  after(async () => {
    await gateway.close();
    await emulator.close();
    await receiver.close();
  });

  it('creates an endpoint with a secret shown once, and delivers a signed ping the receiver verifies', async () => {
    const url = receiver.url('/ping');
    const created = await create(gateway, { url, creators: ['Ping_Creator'], events: ['live.start'] });
    assert.match(created.id, /^wh_/);
    assert.match(created.secret, /^whsec_/);
    const shown = await api(gateway, 'GET', `/v1/webhooks/${created.id}`);
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.body.creators, ['ping_creator']);
    assert.equal(shown.body.enabled, true);
    assert.ok(!JSON.stringify(shown.body).includes(created.secret), 'the secret is not shown again');
    const list = await api(gateway, 'GET', '/v1/webhooks');
    assert.ok(!JSON.stringify(list.body).includes(created.secret));
    assert.ok((list.body.webhooks as { id: string }[]).some((w) => w.id === created.id));

    const test = await api(gateway, 'POST', `/v1/webhooks/${created.id}/test`);
    assert.equal(test.status, 202);
    await waitFor(() => receiver.received.some((r) => r.body.id === test.body.eventId), { what: 'the ping' });
    const ping = receiver.received.find((r) => r.body.id === test.body.eventId)!;
    assert.equal(ping.path, '/ping');
    assert.equal(ping.body.type, 'ping');
    assert.equal(ping.headers['x-tiktool-event-id'], ping.body.id);
    assert.match(String(ping.headers['x-tiktool-signature']), /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.ok(verifies(ping, created.secret), 'signed with the secret');
    assert.ok(!verifies(ping, 'whsec_not_it'), 'not with another secret');
    assert.ok(!verifies({ ...ping, raw: ping.raw.replace('test', 'tost') }, created.secret), 'a changed body does not verify');

    await waitFor(async () => {
      const { body } = await api(gateway, 'GET', `/v1/webhooks/${created.id}/deliveries`);
      return (body.deliveries as { status: string }[])[0]?.status === 'delivered';
    });
    const { body } = await api(gateway, 'GET', `/v1/webhooks/${created.id}/deliveries`);
    const [d] = body.deliveries as Record<string, unknown>[];
    assert.equal(d.eventId, test.body.eventId);
    assert.equal(d.responseCode, 204);
    assert.equal(d.attempts, 1);
    assert.equal(typeof d.durationMs, 'number');
    assert.equal(d.nextAttemptAt, null);
  });

  it('sends one gift for a finished 1,000-diamond streak, one for a single 1,000-diamond gift, none below minDiamonds', async () => {
    const uniqueId = 'gift_hooks';
    const hook = await create(gateway, { url: receiver.url('/gifts'), creators: [uniqueId], events: ['gift'], minDiamonds: 1000 });
    const watcher = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
    await watcher.until((c) => c.roomInfo !== undefined);
    emulator.gift(uniqueId, FINGER_HEART, 200, 4);
    emulator.gift(uniqueId, DOUGHNUT, 10, 3);
    emulator.gift(uniqueId, GALAXY, 1);
    await watcher.until((c) => c.events('gift').length === 8);
    await flush(gateway, receiver, hook.id);
    watcher.close();

    const gifts = receiver.of('gift').filter((r) => r.path === '/gifts');
    assert.deepEqual(
      gifts.map((g) => [g.body.data.giftId, g.body.data.repeatCount, g.body.data.totalDiamondCount, g.body.data.repeatEnd]),
      [
        [FINGER_HEART, 200, 1000, true],
        [GALAXY, 1, 1000, true],
      ],
    );
    assert.ok(gifts.every((g) => g.body.uniqueId === uniqueId && verifies(g, hook.secret)));
    assert.equal(new Set(gifts.map((g) => g.body.id)).size, 2);
  });

  it('sends one follow per follow and one subscribe per subscribe, with the data the socket gets', async () => {
    const uniqueId = 'social_hooks';
    const hook = await create(gateway, { url: receiver.url('/social'), creators: [uniqueId], events: ['follow', 'subscribe'] });
    const watcher = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
    await watcher.until((c) => c.roomInfo !== undefined);
    for (const e of ['follow', 'subscribe', 'follow', 'follow', 'subscribe'] as const) emulator.emitEvent(uniqueId, e);
    await watcher.until((c) => c.events('follow').length === 3 && c.events('subscribe').length === 2);
    await flush(gateway, receiver, hook.id);
    watcher.close();

    const got = receiver.received.filter((r) => r.path === '/social' && r.body.type !== 'ping');
    assert.deepEqual(
      got.map((r) => r.body.type),
      ['follow', 'subscribe', 'follow', 'follow', 'subscribe'],
    );
    assert.deepEqual(
      got.map((r) => r.body.data),
      watcher
        .events()
        .filter((e) => e.event === 'follow' || e.event === 'subscribe')
        .map((e) => e.data),
      'each with the data the socket got',
    );
    assert.equal(new Set(got.map((r) => r.body.id)).size, 5);
    assert.ok(got.every((r) => r.body.uniqueId === uniqueId && verifies(r, hook.secret)));
  });

  it("sends viewers.peak only for a new peak, at most once a minute by the counts' own times", async () => {
    const uniqueId = 'peak_hooks';
    const hook = await create(gateway, { url: receiver.url('/peaks'), creators: [uniqueId], events: ['viewers.peak'] });
    const watcher = new RawClient(connectUrl(gateway, { uniqueId, apiKey: TEST_KEY }));
    await watcher.until((c) => c.roomInfo !== undefined);
    const t0 = Date.now();
    // [viewers, ms after t0]: the message's own createTime, so no waiting.
    const counts: [number, number][] = [
      [100, 0], // the first peak: told
      [90, 1_000], // lower: nothing
      [150, 10_000], // a new peak within the minute: held
      [120, 61_000], // the minute is over: the held 150 is told now
      [150, 90_000], // the same peak again: nothing
      [151, 100_000], // a new peak within a minute of the last one told: held
      [151, 110_000], // still within it: nothing more
      [140, 125_000], // that minute is over: 151 is told, once
      [151, 200_000], // the peak told, a minute later: nothing
    ];
    for (const [viewerCount, after] of counts) emulator.emitEvent(uniqueId, { viewerCount }, t0 + after);
    await watcher.until((c) => c.events('roomUserSeq').length === counts.length);
    await flush(gateway, receiver, hook.id);
    watcher.close();

    const peaks = receiver.of('viewers.peak').filter((r) => r.path === '/peaks');
    assert.deepEqual(
      peaks.map((r) => [r.body.data.viewerCount, r.body.data.previousPeak, Date.parse(r.body.createdAt) - t0]),
      [
        [100, 0, 0],
        [150, 100, 61_000],
        [151, 150, 125_000],
      ],
    );
    assert.ok(peaks.every((r) => r.body.data.roomId === emulator.roomId(uniqueId) && verifies(r, hook.secret)));
  });

  it('holds later events while the receiver is down, then delivers every one exactly once by id, in order', async () => {
    const hook = await create(gateway, { url: receiver.url('/flaky'), creators: ['flaky_creator'], events: ['gift'] });
    const flaky = () => receiver.received.filter((r) => r.path === '/flaky');
    receiver.answer = (r) => (r.path === '/flaky' ? { status: 503 } : { status: 204 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api(gateway, 'POST', `/v1/webhooks/${hook.id}/test`)).body.eventId as string);
    await waitFor(() => flaky().length >= 3, { what: 'three failed attempts' });
    assert.ok(
      flaky().every((r) => r.body.id === ids[0]),
      'while the first fails, the later ones wait',
    );
    const { body } = await api(gateway, 'GET', `/v1/webhooks/${hook.id}/deliveries`);
    const first = (body.deliveries as Record<string, unknown>[]).find((d) => d.eventId === ids[0])!;
    assert.equal(first.status, 'pending');
    assert.equal(first.responseCode, 503);
    assert.ok(first.nextAttemptAt !== null, 'the next attempt is scheduled');
    receiver.answer = () => ({ status: 204 });
    await waitFor(() => ids.every((id) => receiver.acceptedIds().includes(id)), { what: 'every event after recovery' });
    const accepted = receiver.acceptedIds().filter((id) => ids.includes(id));
    assert.deepEqual(accepted, ids, 'each once, in order');
    const deliveredOnce = flaky().filter((r) => r.body.id !== ids[0]);
    assert.deepEqual(
      deliveredOnce.map((r) => r.body.id),
      ids.slice(1),
      'later events were each sent once',
    );
    assert.ok(flaky().every((r) => verifies(r, hook.secret)));
  });

  it('does not follow a redirect: the attempt fails with its 3xx and the target is never called', async () => {
    const hook = await create(gateway, { url: receiver.url('/moved'), creators: ['redirected'], events: ['gift'] });
    receiver.answer = (r) => (r.path === '/moved' ? { status: 302, headers: { location: receiver.url('/elsewhere') } } : { status: 204 });
    await api(gateway, 'POST', `/v1/webhooks/${hook.id}/test`);
    await waitFor(async () => {
      const { body } = await api(gateway, 'GET', `/v1/webhooks/${hook.id}/deliveries`);
      return (body.deliveries as { responseCode: number }[])[0]?.responseCode === 302;
    });
    const { body } = await api(gateway, 'GET', `/v1/webhooks/${hook.id}/deliveries`);
    const [d] = body.deliveries as Record<string, unknown>[];
    assert.equal(d.status, 'pending');
    assert.match(String(d.error), /redirect not followed/);
    assert.equal(receiver.received.filter((r) => r.path === '/elsewhere').length, 0);
    receiver.answer = () => ({ status: 204 });
    assert.equal((await api(gateway, 'DELETE', `/v1/webhooks/${hook.id}`)).status, 204);
    assert.equal((await api(gateway, 'GET', `/v1/webhooks/${hook.id}`)).status, 404);
  });

  it('signs with both secrets during a rotation grace period, then with the new one only', async () => {
    const hook = await create(gateway, { url: receiver.url('/rotate'), creators: ['rotating'], events: ['gift'] });
    const rotated = await api(gateway, 'POST', `/v1/webhooks/${hook.id}/rotate-secret`, { graceSeconds: 3600 });
    assert.equal(rotated.status, 200);
    const secret = rotated.body.secret as string;
    assert.notEqual(secret, hook.secret);
    await flush(gateway, receiver, hook.id);
    const during = receiver.received.filter((r) => r.path === '/rotate').at(-1)!;
    assert.match(String(during.headers['x-tiktool-signature']), /^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    assert.ok(verifies(during, hook.secret) && verifies(during, secret), 'old and new both verify');
    await api(gateway, 'POST', `/v1/webhooks/${hook.id}/rotate-secret`, { graceSeconds: 0 });
    const { body } = await api(gateway, 'GET', `/v1/webhooks/${hook.id}`);
    assert.ok(body.previousSecretExpiresAt !== undefined);
  });

  it('replays a delivery on request', async () => {
    const hook = await create(gateway, { url: receiver.url('/replay'), creators: ['replayed'], events: ['gift'] });
    const { body: ping } = await api(gateway, 'POST', `/v1/webhooks/${hook.id}/test`);
    await waitFor(() => receiver.acceptedIds().includes(ping.eventId as string));
    const { body } = await api(gateway, 'GET', `/v1/webhooks/${hook.id}/deliveries`);
    const [d] = body.deliveries as { id: string }[];
    const count = () => receiver.received.filter((r) => r.body.id === ping.eventId).length;
    assert.equal(count(), 1);
    const retry = await api(gateway, 'POST', `/v1/webhooks/${hook.id}/deliveries/${d.id}/retry`);
    assert.equal(retry.status, 202);
    await waitFor(() => count() === 2, { what: 'the replay' });
    const missing = await api(gateway, 'POST', `/v1/webhooks/${hook.id}/deliveries/dlv_nope/retry`);
    assert.equal(missing.status, 404);
  });

  it("answers bad input and other keys' endpoints with clear errors", async () => {
    const url = receiver.url();
    const cases: [unknown, number, string][] = [
      [{ url, creators: [], events: ['gift'] }, 400, 'INVALID_PARAM'],
      [{ url, creators: ['a b'], events: ['gift'] }, 400, 'INVALID_PARAM'],
      [{ url, creators: ['alice'], events: ['chat'] }, 400, 'INVALID_PARAM'],
      [{ url, creators: ['alice'], events: ['gift'], minDiamonds: -1 }, 400, 'INVALID_PARAM'],
      [{ url: 'ftp://x.example/', creators: ['alice'], events: ['gift'] }, 400, 'INVALID_URL'],
      [{ url: 'not a url', creators: ['alice'], events: ['gift'] }, 400, 'INVALID_URL'],
    ];
    for (const [body, status, code] of cases) {
      const res = await api(gateway, 'POST', '/v1/webhooks', body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(errorCode(res), code, JSON.stringify(res.body));
    }
    assert.equal((await api(gateway, 'POST', '/v1/webhooks', {}, 'tt_wrong')).status, 401);
    const { key } = await gateway.keys.create('community', 'webhook limits');
    const mine = await create(gateway, { url, creators: ['one', 'two'], events: ['gift'] }, key);
    const second = await api(gateway, 'POST', '/v1/webhooks', { url, creators: ['three'], events: ['gift'] }, key);
    assert.deepEqual([second.status, errorCode(second)], [403, 'TIER_LIMIT']);
    const tooMany = await api(gateway, 'PATCH', `/v1/webhooks/${mine.id}`, { creators: ['a1', 'a2', 'a3', 'a4'] }, key);
    assert.deepEqual([tooMany.status, errorCode(tooMany)], [403, 'TIER_LIMIT']);
    assert.equal((await api(gateway, 'GET', `/v1/webhooks/${mine.id}`)).status, 404, "another key's endpoint is not found");
    assert.equal((await api(gateway, 'DELETE', `/v1/webhooks/${mine.id}`)).status, 404);
    assert.equal((await api(gateway, 'PUT', `/v1/webhooks/${mine.id}`, {}, key)).status, 405);
  });

  it('answered every webhook route, and sent every creator event type, as the OpenAPI document says', () => {
    checkReceived(receiver);
    for (const seen of [
      'POST /v1/webhooks 201',
      'POST /v1/webhooks 400',
      'POST /v1/webhooks 403',
      'GET /v1/webhooks 200',
      'GET /v1/webhooks/{id} 200',
      'GET /v1/webhooks/{id} 404',
      'PATCH /v1/webhooks/{id} 403',
      'DELETE /v1/webhooks/{id} 204',
      'GET /v1/webhooks/{id}/deliveries 200',
      'POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry 202',
      'POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry 404',
      'POST /v1/webhooks/{id}/test 202',
      'POST /v1/webhooks/{id}/rotate-secret 200',
      'webhook ping',
      'webhook gift',
      'webhook follow',
      'webhook subscribe',
      'webhook viewers.peak',
    ]) {
      assert.ok(doc.covered.has(seen), seen);
    }
  });
});

describe('webhooks: only public https targets unless private ones are allowed', () => {
  let gateway: Gateway;
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await WebhookReceiver.start();
    gateway = await startTestGateway({ webhookAllowPrivate: false });
    doc = await OpenApiCheck.load(gateway.url);
  });
  after(async () => {
    await gateway.close();
    await receiver.close();
  });

  it('refuses http, loopback, private, link-local and metadata addresses at creation', async () => {
    for (const url of [
      receiver.url(),
      `https://127.0.0.1:${receiver.port}/hook`,
      'https://localhost/hook',
      'https://10.1.2.3/hook',
      'https://192.168.1.1/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[fd00:ec2::254]/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
    ]) {
      const res = await api(gateway, 'POST', '/v1/webhooks', { url, creators: ['alice'], events: ['gift'] });
      assert.deepEqual([res.status, errorCode(res)], [400, 'INVALID_URL'], url);
    }
    assert.equal(receiver.received.length, 0);
  });

  it('checks the address again when it connects: a name resolving to loopback gets no request', async () => {
    const sender = new WebhookSender(false);
    for (const url of [`http://localhost:${receiver.port}/late`, `http://127.0.0.1:${receiver.port}/late`]) {
      const sent = await sender.send({ url, body: '{}', headers: {} });
      assert.equal(sent.ok, false, url);
      assert.match(String(sent.error), /not a public address/, url);
    }
    await sender.close();
    assert.equal(receiver.received.length, 0);
  });
});

describe('webhooks: dead letters and replay', () => {
  let gateway: Gateway;
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await WebhookReceiver.start();
    gateway = await startTestGateway({ webhookAllowPrivate: true, webhookRetryBaseMs: 1 });
    doc = await OpenApiCheck.load(gateway.url);
  });
  afterEach(() => checkReceived(receiver));
  after(async () => {
    await gateway.close();
    await receiver.close();
  });

  it('dead-letters a delivery after 8 failed attempts, goes on with the next, and replays the dead one on request', async () => {
    const hook = await create(gateway, { url: receiver.url('/dead'), creators: ['offline_dead_letters'], events: ['gift'] });
    receiver.answer = (r) => (r.body.id === first ? 'cut' : { status: 204 });
    const first = (await api(gateway, 'POST', `/v1/webhooks/${hook.id}/test`)).body.eventId as string;
    const second = (await api(gateway, 'POST', `/v1/webhooks/${hook.id}/test`)).body.eventId as string;
    await waitFor(() => receiver.acceptedIds().includes(second), { timeoutMs: 30_000, what: 'the next event after the dead one' });
    const attempts = receiver.received.filter((r) => r.body.id === first).length;
    assert.equal(attempts, 8, 'eight attempts');
    const { body } = await api(gateway, 'GET', `/v1/webhooks/${hook.id}/deliveries`);
    const dead = (body.deliveries as Record<string, unknown>[]).find((d) => d.eventId === first)!;
    assert.deepEqual([dead.status, dead.attempts, dead.nextAttemptAt, dead.responseCode], ['dead', 8, null, null]);
    assert.ok(String(dead.error).length > 0, 'the failure is recorded');
    const endpoint = await api(gateway, 'GET', `/v1/webhooks/${hook.id}`);
    assert.equal(endpoint.body.enabled, true, 'failing for less than a day does not disable');

    receiver.answer = () => ({ status: 204 });
    assert.equal((await api(gateway, 'POST', `/v1/webhooks/${hook.id}/deliveries/${dead.id}/retry`)).status, 202);
    await waitFor(() => receiver.acceptedIds().includes(first), { what: 'the replayed dead letter' });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.match(metrics, /^tiktool_webhook_dead_lettered_total 1$/m);
    assert.match(metrics, /^tiktool_webhook_attempts_total\{outcome="failed"\} 8$/m);
    assert.match(metrics, /^tiktool_webhook_attempts_total\{outcome="delivered"\} 2$/m);
    assert.match(metrics, /^tiktool_webhook_queued_total 2$/m);
    assert.match(metrics, /^tiktool_webhook_latency_seconds_count 10$/m);
  });
});
