import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SEED_EVENT_NAMES, type CreatorEventName, type User } from '@tiktool/protocol';
import { TikTokLive, TikTokLiveError } from '@tiktool/live';
import type { Gateway } from '../src/index.js';
import { waitFor } from '@tiktool/testkit';
import { TEST_KEY, startTestGateway } from './helpers.js';

function assertUser(u: User, where: string): void {
  assert.ok(u, `${where}: user`);
  assert.match(u.userId, /^\d+$/, `${where}: userId`);
  assert.ok(u.uniqueId.length > 0, `${where}: uniqueId`);
  assert.equal(typeof u.nickname, 'string', `${where}: nickname`);
  assert.match(u.profilePictureUrl, /^https?:\/\//, `${where}: profilePictureUrl`);
  assert.equal(typeof u.followRole, 'number');
  assert.equal(typeof u.isSubscriber, 'boolean');
  assert.equal(typeof u.isModerator, 'boolean');
  assert.ok(Array.isArray(u.badges));
}

describe('the SDK through the gateway and the emulator', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startTestGateway({ emulatorRate: 200 });
  });
  after(() => gateway.close());

  it('receives roomInfo and every one of the 14 seed event types with the documented fields', async () => {
    const client = new TikTokLive('@sdk_creator', { apiKey: TEST_KEY, url: gateway.wsUrl });
    const seen = new Map<CreatorEventName, Record<string, unknown>>();
    for (const name of SEED_EVENT_NAMES) {
      client.on(name as 'chat', (data) => void seen.set(name, data as unknown as Record<string, unknown>));
    }
    const info = await client.connect();
    assert.equal(info.uniqueId, 'sdk_creator');
    assert.match(info.roomId, /^\d+$/);
    assert.ok(info.title.length > 0);
    await waitFor(() => seen.size === SEED_EVENT_NAMES.length, { timeoutMs: 20_000, what: `all types (have ${[...seen.keys()]})` });
    for (const [name, data] of seen) {
      assert.match(String(data.msgId), /^\d+$/, `${name}.msgId`);
      assert.ok(typeof data.timestamp === 'number' && data.timestamp > 1.6e12, `${name}.timestamp`);
    }
    const chat = seen.get('chat')!;
    assertUser(chat.user as User, 'chat');
    assert.ok((chat.comment as string).length > 0);
    assert.ok(Array.isArray(chat.emotes));
    const gift = seen.get('gift')!;
    assertUser(gift.user as User, 'gift');
    for (const f of ['giftId', 'diamondCount', 'repeatCount', 'giftType']) assert.equal(typeof gift[f], 'number', `gift.${f}`);
    assert.ok((gift.giftName as string).length > 0);
    assert.equal(typeof gift.repeatEnd, 'boolean');
    const like = seen.get('like')!;
    assert.ok((like.likeCount as number) > 0 && (like.totalLikes as number) >= (like.likeCount as number));
    assertUser(seen.get('member')!.user as User, 'member');
    assertUser(seen.get('follow')!.user as User, 'follow');
    assertUser(seen.get('share')!.user as User, 'share');
    const viewers = seen.get('roomUserSeq')!;
    assert.ok((viewers.viewerCount as number) > 0);
    assert.ok(Array.isArray(viewers.topViewers));
    assert.ok((seen.get('linkMicBattle')!.battleUsers as User[]).length >= 2);
    assert.ok((seen.get('linkMicArmies')!.armies as unknown[]).length >= 2);
    assert.ok((seen.get('roomPin')!.pinnedMessage as { comment: string }).comment.length > 0);
    assert.ok((seen.get('liveIntro')!.description as string).length > 0);
    assert.ok((seen.get('emote')!.emotes as unknown[]).length > 0);
    assert.ok((seen.get('envelope')!.diamondCount as number) > 0);
    assert.ok((seen.get('subscribe')!.subMonth as number) >= 1);
    client.disconnect();
  });

  it('gift streaks end with exactly one repeatEnd per groupId', async () => {
    const client = new TikTokLive('streaks', { apiKey: TEST_KEY, url: gateway.wsUrl, events: ['gift'] });
    const gifts: { groupId: string; repeatEnd: boolean; repeatCount: number; giftType: number }[] = [];
    client.on('gift', (g) => void gifts.push(g));
    await client.connect();
    await waitFor(() => gifts.filter((g) => g.giftType === 1 && g.repeatEnd).length >= 3, { timeoutMs: 20_000, what: 'finished streaks' });
    client.disconnect();
    const byGroup = new Map<string, typeof gifts>();
    for (const g of gifts.filter((x) => x.giftType === 1)) byGroup.set(g.groupId, [...(byGroup.get(g.groupId) ?? []), g]);
    for (const [groupId, msgs] of byGroup) {
      const ends = msgs.filter((m) => m.repeatEnd);
      assert.ok(ends.length <= 1, `streak ${groupId} ended ${ends.length} times`);
      for (let i = 1; i < msgs.length; i++) assert.ok(msgs[i].repeatCount >= msgs[i - 1].repeatCount);
    }
  });

  it('connect() rejects with a typed error carrying 4401 for a bad key', async () => {
    const client = new TikTokLive('someone', { apiKey: 'tt_wrong', url: gateway.wsUrl });
    await assert.rejects(client.connect(), (err: unknown) => err instanceof TikTokLiveError && err.closeCode === 4401);
  });
});
