import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '@tiktool/emulator';
import type { Gateway } from '../src/index.js';
import { startEmulatedGateway, TEST_KEY } from './helpers.js';
import { OpenApiCheck, type Answer } from './openapi-check.js';
import { inOneMinute } from './rest-windows.js';

type Json = Record<string, unknown>;
type Failure = { error: { code: string; message: string } };

describe('REST against the emulator: live, rooms, users, gifts', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  let api: OpenApiCheck;
  const lookupsOf = (u: string) => emulator.stats().lookups[u] ?? 0;

  before(async () => {
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 0 }));
    api = await OpenApiCheck.load(gateway.url);
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  const get = <T = Json>(path: string, key = TEST_KEY) => api.fetch<T>(gateway.url, path, { headers: { authorization: `Bearer ${key}` } });
  const bulk = <T = Json>(body: unknown, key = TEST_KEY) =>
    api.fetch<T>(gateway.url, '/v1/live/bulk', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const failed = (a: Answer<unknown>) => (a.body as Failure).error;

  it('GET /v1/live: a live creator is live, an offline_ one is not, a missing_ one is 404 USER_NOT_FOUND', async () => {
    const live = await get('/v1/live/rest_live');
    assert.equal(live.status, 200);
    assert.equal(live.body.live, true);
    assert.equal(live.body.roomId, emulator.roomId('rest_live'));
    assert.equal(live.body.title, 'rest_live is LIVE');
    assert.ok(Date.parse(live.body.checkedAt as string) <= Date.now());
    const offline = await get('/v1/live/@Offline_Rest');
    assert.deepEqual([offline.status, offline.body.uniqueId, offline.body.live, offline.body.roomId], [200, 'offline_rest', false, null]);
    const missing = await get('/v1/live/missing_rest');
    assert.equal(missing.status, 404);
    assert.equal(failed(missing).code, 'USER_NOT_FOUND');
    assert.match(failed(missing).message, /missing_rest not found/);
  });

  it('makes one upstream lookup for 100 concurrent requests for one name', async () => {
    const answers = await Promise.all(Array.from({ length: 100 }, () => get('/v1/live/rest_crowd')));
    assert.deepEqual([...new Set(answers.map((a) => `${a.status} ${a.body.live}`))], ['200 true']);
    assert.equal(lookupsOf('rest_crowd'), 1);
  });

  it('POST /v1/live/bulk answers 50 names each correctly, with at most one lookup per distinct name', async () => {
    // A missing name is looked up in every room id source before "not found" is believed: one check, several sources.
    await get('/v1/live/missing_probe');
    const perMissingCheck = lookupsOf('missing_probe');
    const live = Array.from({ length: 20 }, (_, i) => `bulk_live_${i}`);
    const offline = Array.from({ length: 15 }, (_, i) => `offline_bulk_${i}`);
    const missing = Array.from({ length: 10 }, (_, i) => `missing_bulk_${i}`);
    const names = [...live, ...offline, ...missing, ...live.slice(0, 5).map((n) => n.toUpperCase())];
    assert.equal(names.length, 50);
    const { key } = await gateway.keys.create('basic');
    const res = await bulk<{ results: Json[] }>({ uniqueIds: names }, key);
    assert.equal(res.status, 200);
    assert.equal(res.body.results.length, 50);
    res.body.results.forEach((r, i) => {
      const name = names[i].toLowerCase();
      if (name.startsWith('missing_')) assert.equal((r as Failure).error.code, 'USER_NOT_FOUND', name);
      else assert.deepEqual([r.uniqueId, r.live], [name, !name.startsWith('offline_')], name);
    });
    for (const n of [...live, ...offline]) assert.equal(lookupsOf(n), 1, n);
    for (const n of missing) assert.equal(lookupsOf(n), perMissingCheck, n);
  });

  it("bulk: a bad name is that entry's error; too many names, a body that is not a list, or not JSON is 400", async () => {
    const mixed = await bulk<{ results: Json[] }>({ uniqueIds: ['bulk_ok', 'not a name!'] });
    assert.equal(mixed.body.results[0].live, true);
    assert.deepEqual([mixed.body.results[1].uniqueId, (mixed.body.results[1] as Failure).error.code], ['not a name!', 'INVALID_PARAM']);
    const { key } = await gateway.keys.create('community');
    const tooMany = await bulk({ uniqueIds: Array.from({ length: 11 }, (_, i) => `many_${i}`) }, key);
    assert.equal(tooMany.status, 400);
    assert.match(failed(tooMany).message, /at most 10 names on tier community/);
    assert.equal(failed(await bulk({ uniqueIds: 'a,b' })).code, 'INVALID_PARAM');
    assert.equal(failed(await bulk('{"uniqueIds": [')).code, 'INVALID_JSON');
  });

  it('GET /v1/rooms: owner, title, start time, counts and stream URLs; 404 NOT_LIVE offline, USER_NOT_FOUND missing', async () => {
    const room = await get('/v1/rooms/rest_room');
    assert.equal(room.status, 200);
    assert.equal(room.body.roomId, emulator.roomId('rest_room'));
    assert.equal((room.body.owner as Json).uniqueId, 'rest_room');
    assert.ok(Date.parse(room.body.startTime as string) <= Date.now());
    const urls = room.body.streamUrls as { format: string }[];
    assert.deepEqual([...new Set(urls.map((u) => u.format))].sort(), ['flv', 'hls']);
    const offline = await get('/v1/rooms/offline_room');
    assert.deepEqual([offline.status, failed(offline).code], [404, 'NOT_LIVE']);
    const missing = await get('/v1/rooms/missing_room');
    assert.deepEqual([missing.status, failed(missing).code], [404, 'USER_NOT_FOUND']);
  });

  it('GET /v1/users: the profile, with roomId only while live; 404 for a missing user; cached', async () => {
    const live = await get('/v1/users/rest_user');
    assert.equal(live.status, 200);
    assert.equal(live.body.uniqueId, 'rest_user');
    assert.equal(live.body.roomId, emulator.roomId('rest_user'));
    assert.match(live.body.profilePictureUrl as string, /^http:\/\/127\.0\.0\.1:\d+\//);
    const before = lookupsOf('offline_user');
    const offline = await get('/v1/users/offline_user');
    await get('/v1/users/offline_user');
    assert.equal(lookupsOf('offline_user') - before, 1, 'the second ask is answered from the cache');
    assert.equal(offline.status, 200);
    assert.equal('roomId' in offline.body, false);
    const missing = await get('/v1/users/missing_user');
    assert.deepEqual([missing.status, failed(missing).code], [404, 'USER_NOT_FOUND']);
  });

  it('GET /v1/gifts: the catalogue, asked once per region', async () => {
    const base = emulator.stats().giftLists;
    const first = await get<{ region: null; gifts: Json[] }>('/v1/gifts');
    assert.equal(first.status, 200);
    assert.deepEqual(
      first.body.gifts.find((g) => g.name === 'Rose'),
      { id: 5655, name: 'Rose', diamondCount: 1, imageUrl: first.body.gifts[0].imageUrl, type: 1 },
    );
    await get('/v1/gifts');
    const us = await get('/v1/gifts?region=us');
    assert.equal(us.body.region, 'US');
    await get('/v1/gifts?region=US');
    assert.equal(emulator.stats().giftLists - base, 2);
    const bad = await get('/v1/gifts?region=united-states');
    assert.deepEqual([bad.status, failed(bad).code], [400, 'INVALID_PARAM']);
  });

  it('answers bad input, a missing key, a wrong method and an unknown route in the one error shape', async () => {
    const badName = await get('/v1/live/no%20spaces');
    assert.deepEqual([badName.status, failed(badName).code], [400, 'INVALID_PARAM']);
    assert.match(failed(badName).message, /uniqueId must be a TikTok username/);
    const badEncoding = await get('/v1/users/%E0%A4%A');
    assert.deepEqual([badEncoding.status, failed(badEncoding).code], [400, 'INVALID_PARAM']);
    const noKey = await api.fetch(gateway.url, '/v1/live/rest_live');
    assert.deepEqual([noKey.status, failed(noKey).code], [401, 'UNAUTHORIZED']);
    const queryKey = await api.fetch(gateway.url, `/v1/live/rest_live?apiKey=${TEST_KEY}`);
    assert.equal(queryKey.status, 200);
    const wrongMethod = await api.fetch(gateway.url, '/v1/gifts', { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}` } });
    assert.deepEqual([wrongMethod.status, failed(wrongMethod).code], [405, 'METHOD_NOT_ALLOWED']);
    const unknown = await fetch(`${gateway.url}/v1/nothing_here`);
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), { error: { code: 'NOT_FOUND', message: 'no route for /v1/nothing_here' } });
  });

  it('a key scoped to some creators may not ask about others', async () => {
    const { key } = await gateway.keys.create('pro', '', { allowedCreators: ['scoped_one'] });
    assert.equal((await get('/v1/live/scoped_one', key)).status, 200);
    const other = await get('/v1/rooms/scoped_two', key);
    assert.deepEqual([other.status, failed(other).code], [403, 'FORBIDDEN']);
  });

  it("answers 429 with Retry-After and X-RateLimit headers past the community tier's 20 requests a minute", async () => {
    const { key, answers } = await inOneMinute(async () => {
      const { key } = await gateway.keys.create('community');
      const answers: Answer[] = [];
      for (let i = 0; i < 21; i++) answers.push(await get('/v1/live/rest_limited', key));
      return { key, answers };
    });
    assert.deepEqual(
      answers.slice(0, 20).map((a) => a.status),
      Array(20).fill(200),
    );
    assert.deepEqual(
      answers.slice(0, 3).map((a) => [a.headers.get('x-ratelimit-limit'), a.headers.get('x-ratelimit-remaining')]),
      [
        ['20', '19'],
        ['20', '18'],
        ['20', '17'],
      ],
    );
    const refused = answers[20];
    assert.equal(refused.status, 429);
    assert.equal(failed(refused).code, 'RATE_LIMITED');
    assert.match(failed(refused).message, /tier community allows 20 per minute; retry after \d+ s/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
    const reset = Number(refused.headers.get('x-ratelimit-reset'));
    assert.ok(reset * 1000 > Date.now() && reset * 1000 <= Date.now() + 61_000, String(reset));
    const limits = await get<{ usage: Json; limits: Json }>('/v1/rate_limits', key);
    assert.deepEqual([limits.body.usage.requestsThisMinute, limits.body.limits.requestsPerDay], [20, 5000]);
    assert.equal(limits.headers.get('x-ratelimit-remaining'), '0', 'reading the limits does not count against them');
  });

  it('POST /v1/jwt, /healthz and /readyz answer as documented', async () => {
    const minted = await api.fetch(gateway.url, '/v1/jwt', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ creators: ['jwt_rest'] }),
    });
    assert.equal(minted.status, 201);
    const refused = await api.fetch(gateway.url, '/v1/jwt', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ creators: [] }),
    });
    assert.deepEqual([refused.status, failed(refused).code], [400, 'INVALID_PARAM']);
    assert.equal((await api.fetch(gateway.url, '/healthz')).status, 200);
    assert.equal((await api.fetch(gateway.url, '/readyz')).status, 200);
  });

  it('documents every route the gateway answers, and the tests saw each REST route answer', () => {
    for (const path of [
      '/v1/live/{uniqueId}',
      '/v1/live/bulk',
      '/v1/rooms/{uniqueId}',
      '/v1/users/{uniqueId}',
      '/v1/gifts',
      '/v1/jwt',
      '/v1/rate_limits',
    ]) {
      assert.ok(api.paths[path], path);
    }
    for (const seen of [
      'GET /v1/live/{uniqueId} 200',
      'POST /v1/live/bulk 200',
      'GET /v1/rooms/{uniqueId} 200',
      'GET /v1/users/{uniqueId} 200',
      'GET /v1/gifts 200',
    ]) {
      assert.ok(api.covered.has(seen), seen);
    }
  });
});
