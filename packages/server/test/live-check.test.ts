import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { createWebcastUpstream, UpstreamError, type WebcastUpstream } from '@tiktool/webcast';

describe('the upstream answers whether a creator is live without connecting', () => {
  let emulator: Emulator;
  let upstream: WebcastUpstream;
  before(async () => {
    emulator = await startEmulator({ rate: 5 });
    upstream = createWebcastUpstream(emulator.upstreamOptions());
  });
  after(async () => {
    await upstream.close();
    await emulator.close();
  });

  it('a live creator is live, with its room', async () => {
    const check = await upstream.checkLive('checked_live');
    assert.equal(check.live, true);
    assert.equal(check.room?.roomId, emulator.roomId('checked_live'));
    assert.equal(upstream.connections.size, 0, 'a check opens no push connection');
  });

  it('an offline_ creator is not live, and says why', async () => {
    const check = await upstream.checkLive('offline_checked');
    assert.equal(check.live, false);
    assert.equal(check.room, undefined);
    assert.match(check.reason ?? '', /not live/);
  });

  it('a missing_ creator rejects with USER_NOT_FOUND', async () => {
    await assert.rejects(upstream.checkLive('missing_checked'), (err) => err instanceof UpstreamError && err.code === 'USER_NOT_FOUND');
  });

  it('a creator switched live is live at the next check, and the emulator counts each lookup', async () => {
    assert.equal((await upstream.checkLive('offline_switched')).live, false);
    emulator.setLive('offline_switched', true);
    assert.equal((await upstream.checkLive('offline_switched')).live, true);
    assert.equal(emulator.stats().lookups.offline_switched, 2);
  });
});
