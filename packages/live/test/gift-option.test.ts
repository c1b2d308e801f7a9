import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TikTokLive, TikTokLiveError } from '../src/index.js';

describe('the gifts option', () => {
  it("takes 'all' and 'final' and rejects anything else", () => {
    assert.doesNotThrow(() => new TikTokLive('creator', { gifts: 'final' }));
    assert.doesNotThrow(() => new TikTokLive('creator', { gifts: 'all' }));
    assert.throws(
      () => new TikTokLive('creator', { gifts: 'once' as 'final' }),
      (e: unknown) => e instanceof TikTokLiveError && e.code === 'ERR_INVALID_ARGUMENT' && /gifts/.test(e.message),
    );
  });
});
