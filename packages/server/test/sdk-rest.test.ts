import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '@tiktool/emulator';
import { RestClient, TikTokLiveError, type RestErrorCode } from '@tiktool/live';
import { recentlyFreePort } from '@tiktool/testkit';
import type { Gateway } from '../src/index.js';
import { startEmulatedGateway, TEST_KEY } from './helpers.js';

const failsWith = (code: RestErrorCode | 'ERR_UNREACHABLE' | 'ERR_INVALID_ARGUMENT', status?: number) => (err: unknown) =>
  err instanceof TikTokLiveError && err.code === code && err.status === status;

describe('the SDK REST client against the gateway and the emulator', () => {
  let gateway: Gateway;
  let emulator: Emulator;
  let rest: RestClient;

  before(async () => {
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 0 }));
    rest = new RestClient({ apiKey: TEST_KEY, url: gateway.url });
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('isLive: live, not live, and USER_NOT_FOUND as a typed error', async () => {
    const live = await rest.isLive('sdk_rest_live');
    assert.deepEqual([live.live, live.roomId], [true, emulator.roomId('sdk_rest_live')]);
    assert.equal((await rest.isLive('offline_sdk_rest')).live, false);
    await assert.rejects(rest.isLive('missing_sdk_rest'), failsWith('USER_NOT_FOUND', 404));
    await assert.rejects(rest.isLive('not a name'), failsWith('INVALID_PARAM', 400));
  });

  it('bulkLive: an entry per name, errors per name', async () => {
    const entries = await rest.bulkLive(['sdk_bulk_a', 'offline_sdk_bulk', 'missing_sdk_bulk']);
    assert.deepEqual(
      entries.map((e) => ('error' in e ? e.error.code : e.live)),
      [true, false, 'USER_NOT_FOUND'],
    );
  });

  it('room, user and gifts', async () => {
    const room = await rest.room('sdk_room');
    assert.equal(room.owner.uniqueId, 'sdk_room');
    assert.ok(room.streamUrls.length > 0);
    await assert.rejects(rest.room('offline_sdk_room'), failsWith('NOT_LIVE', 404));
    const user = await rest.user('sdk_user');
    assert.equal(user.roomId, emulator.roomId('sdk_user'));
    const gifts = await rest.gifts({ region: 'DE' });
    assert.ok(gifts.some((g) => g.name === 'Rose' && g.diamondCount === 1));
  });

  it('RATE_LIMITED with the retry delay; a bad key is UNAUTHORIZED', async () => {
    let err: unknown;
    // A fresh key each try: 21 calls that straddle a minute edge are all answered.
    for (let tries = 0; tries < 3 && err === undefined; tries++) {
      const { key } = await gateway.keys.create('community');
      const limited = new RestClient({ apiKey: key, url: gateway.url });
      for (let i = 0; i < 20; i++) await limited.gifts();
      err = await limited.gifts().then(
        () => undefined,
        (e: unknown) => e,
      );
    }
    assert.ok(failsWith('RATE_LIMITED', 429)(err), String(err));
    assert.ok((err as TikTokLiveError).retryAfterS! >= 1);
    await assert.rejects(new RestClient({ apiKey: 'tt_wrong', url: gateway.url }).gifts(), failsWith('UNAUTHORIZED', 401));
  });

  it('ERR_UNREACHABLE when nothing listens, ERR_INVALID_ARGUMENT for a ws:// url', async () => {
    const port = await recentlyFreePort();
    await assert.rejects(new RestClient({ apiKey: TEST_KEY, url: `http://127.0.0.1:${port}` }).isLive('x_y'), failsWith('ERR_UNREACHABLE'));
    assert.throws(() => new RestClient({ apiKey: TEST_KEY, url: 'ws://127.0.0.1:1' }), failsWith('ERR_INVALID_ARGUMENT'));
  });
});
