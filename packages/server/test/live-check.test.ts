import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UpstreamError } from '@tiktool/webcast';
import { useEmulatedUpstream } from './helpers.js';

describe('the upstream answers whether a creator is live without connecting', () => {
  const emulated = useEmulatedUpstream();
  const { lookupsOf } = emulated;

  it('a live creator is live, with its room', async () => {
    const check = await emulated.upstream.checkLive('checked_live');
    assert.equal(check.live, true);
    assert.equal(check.room?.roomId, emulated.emulator.roomId('checked_live'));
    assert.equal(emulated.upstream.connections.size, 0, 'a check opens no push connection');
  });

  it('an offline_ creator is not live, and says why', async () => {
    const check = await emulated.upstream.checkLive('offline_checked');
    assert.equal(check.live, false);
    assert.equal(check.room, undefined);
    assert.match(check.reason ?? '', /not live/);
  });

  it('a missing_ creator rejects with USER_NOT_FOUND', async () => {
    await assert.rejects(
      emulated.upstream.checkLive('missing_checked'),
      (err) => err instanceof UpstreamError && err.code === 'USER_NOT_FOUND',
    );
  });

  it('a creator switched live is live at the next check, and the emulator counts each lookup', async () => {
    assert.equal((await emulated.upstream.checkLive('offline_switched')).live, false);
    emulated.emulator.setLive('offline_switched', true);
    assert.equal((await emulated.upstream.checkLive('offline_switched')).live, true);
    assert.equal(lookupsOf('offline_switched'), 2);
  });
});
