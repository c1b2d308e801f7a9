/**
 * The emulator's encoding, decoded by the client, gives back the scripted values,
 * field by field, for every event type.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Badge, UpstreamEvent, User } from '@tiktool/protocol';
import { FrameDecoder, Method, type ProtoObject } from '@tiktool/webcast';
import { CreatorScript, encodeFetchResult, encodeRoomMessage, msgFrame, type ScriptedMessage } from '../src/index.js';

type Obj = ProtoObject;
const o = (v: unknown) => (v ?? {}) as Obj;
const list = (v: unknown) => (v ?? []) as Obj[];
const url = (image: unknown) => String((o(image).urlList as string[] | undefined)?.[0] ?? '');
const BADGE_TYPES: Record<number, string> = { 1: 'moderator', 4: 'subscriber', 8: 'gifter' };

function expectBadge(actual: Badge, b: Obj): void {
  assert.equal(actual.type, BADGE_TYPES[Number(b.badgeScene)]);
  const combine = o(b.combine);
  assert.equal(actual.name, String(combine.str ?? ''));
  assert.equal(actual.level, Number(o(b.logExtra).level ?? 0));
  assert.equal(actual.imageUrl, b.image ? url(o(b.image).image) : url(combine.icon));
}

function expectUser(actual: User, u: Obj, identity: Obj = {}): void {
  assert.equal(actual.userId, String(u.idStr ?? u.id));
  assert.equal(actual.uniqueId, String(u.displayId ?? ''));
  assert.equal(actual.nickname, String(u.nickname ?? ''));
  assert.equal(actual.profilePictureUrl, url(u.avatarThumb));
  const badges = list(u.badgeList);
  assert.equal(actual.badges.length, badges.length);
  badges.forEach((b, i) => expectBadge(actual.badges[i], b));
  const follow = identity.isMutualFollowingWithAnchor ? 2 : Number(o(u.followInfo).followStatus ?? 0) || (identity.isFollowerOfAnchor ? 1 : 0);
  assert.equal(actual.followRole, follow);
  assert.equal(actual.isModerator, badges.some((b) => b.badgeScene === 1) || Boolean(identity.isModeratorOfAnchor));
  assert.equal(actual.isSubscriber, badges.some((b) => b.badgeScene === 4) || Boolean(identity.isSubscriberOfAnchor));
}

function expectEmote(actual: { emoteId: string; imageUrl: string; placeInComment: number }, e: Obj, place: number): void {
  assert.equal(actual.emoteId, e.emoteId);
  assert.equal(actual.imageUrl, url(e.image));
  assert.equal(actual.placeInComment, place);
}

/** Checks one decoded event against the scripted message it came from. */
function expectEvent(e: UpstreamEvent, m: ScriptedMessage): void {
  const b = m.body;
  switch (e.event) {
    case 'chat': {
      expectUser(e.data.user, o(b.user), o(b.userIdentity));
      assert.equal(e.data.comment, b.content);
      const emotes = list(b.emotes);
      assert.equal(e.data.emotes.length, emotes.length);
      emotes.forEach((x, i) => expectEmote(e.data.emotes[i], o(x.emote), Number(x.index)));
      return;
    }
    case 'gift': {
      const g = o(b.gift);
      expectUser(e.data.user, o(b.user), o(b.userIdentity));
      assert.equal(e.data.giftId, b.giftId);
      assert.equal(e.data.giftName, g.name);
      assert.equal(e.data.diamondCount, g.diamondCount);
      assert.equal(e.data.repeatCount, b.repeatCount);
      assert.equal(e.data.giftType, g.type);
      assert.equal(e.data.repeatEnd, g.type === 1 ? b.repeatEnd === 1 : true);
      assert.equal(e.data.groupId, b.groupId);
      assert.equal(e.data.giftPictureUrl, url(g.image));
      assert.equal(e.data.receiverUserId, o(b.toUser).idStr);
      return;
    }
    case 'like':
      expectUser(e.data.user, o(b.user));
      assert.equal(e.data.likeCount, b.count);
      assert.equal(e.data.totalLikes, b.total);
      return;
    case 'member':
      expectUser(e.data.user, o(b.user));
      assert.equal(e.data.actionId, b.action);
      return;
    case 'follow':
    case 'share':
      assert.equal(e.event, m.displayKey?.includes('follow') ? 'follow' : 'share');
      expectUser(e.data.user, o(b.user));
      return;
    case 'roomUserSeq': {
      assert.equal(e.data.viewerCount, b.total);
      const ranks = list(b.ranks);
      assert.equal(e.data.topViewers.length, ranks.length);
      ranks.forEach((r, i) => {
        expectUser(e.data.topViewers[i].user, o(r.user));
        assert.equal(e.data.topViewers[i].coinCount, r.score);
        assert.equal(e.data.topViewers[i].rank, r.rank);
      });
      return;
    }
    case 'subscribe':
      expectUser(e.data.user, o(b.user));
      assert.equal(e.data.subMonth, b.subMonth);
      return;
    case 'linkMicBattle': {
      assert.equal(e.data.battleId, b.battleId);
      assert.equal(e.data.battleStatus, o(b.battleSetting).status);
      const anchors = Object.entries(o(b.anchorInfo));
      assert.equal(e.data.battleUsers.length, anchors.length);
      anchors.forEach(([id, info], i) => {
        const u = o(o(info).user);
        const actual = e.data.battleUsers[i];
        assert.equal(actual.userId, id);
        assert.equal(actual.nickname, u.nickName);
        assert.equal(actual.uniqueId, u.displayId);
        assert.equal(actual.profilePictureUrl, url(u.avatarThumb));
      });
      return;
    }
    case 'linkMicArmies': {
      assert.equal(e.data.battleId, b.battleId);
      assert.equal(e.data.battleStatus, b.battleStatus);
      const armies = Object.entries(o(b.armies));
      assert.equal(e.data.armies.length, armies.length);
      armies.forEach(([hostId, army], i) => {
        const a = o(army);
        const actual = e.data.armies[i];
        assert.equal(actual.hostUserId, hostId);
        assert.equal(actual.points, a.hostScore);
        const fans = list(a.userArmy);
        assert.equal(actual.participants.length, fans.length);
        fans.forEach((f, j) => {
          assert.equal(actual.participants[j].user.userId, f.userIdStr);
          assert.equal(actual.participants[j].user.nickname, f.nickname);
          assert.equal(actual.participants[j].user.profilePictureUrl, url(f.avatarThumb));
          assert.equal(actual.participants[j].points, f.score);
        });
      });
      return;
    }
    case 'roomPin': {
      const chat = o(b.chatMessage);
      expectUser(e.data.operator, o(b.operator));
      expectUser(e.data.pinnedMessage.user, o(chat.user), o(chat.userIdentity));
      assert.equal(e.data.pinnedMessage.comment, chat.content);
      assert.equal(e.data.pinnedMessage.msgId, o(chat.common).msgId);
      assert.equal(e.data.pinEndTime, Number(b.pinTime) + Number(b.displayDuration) * 1000);
      return;
    }
    case 'liveIntro':
      expectUser(e.data.host, o(b.host));
      assert.equal(e.data.description, b.content);
      return;
    case 'emote': {
      expectUser(e.data.user, o(b.user), o(b.userIdentity));
      const emotes = list(b.emoteList);
      assert.equal(e.data.emotes.length, emotes.length);
      emotes.forEach((x, i) => expectEmote(e.data.emotes[i], x, -1));
      return;
    }
    case 'envelope': {
      const info = o(b.envelopeInfo);
      assert.equal(e.data.envelopeId, info.envelopeId);
      assert.equal(e.data.user.userId, info.sendUserId);
      assert.equal(e.data.user.nickname, info.sendUserName);
      assert.equal(e.data.user.profilePictureUrl, url(info.sendUserAvatar));
      assert.equal(e.data.diamondCount, info.diamondCount);
      assert.equal(e.data.peopleCount, info.peopleCount);
      return;
    }
    case 'questionNew': {
      const q = o(b.details);
      assert.equal(e.data.questionId, q.questionId);
      assert.equal(e.data.content, q.content);
      expectUser(e.data.user, o(q.user));
      return;
    }
    case 'streamEnd':
      assert.equal(e.data.action, b.action);
      assert.equal(e.data.reason, b.action === 3 ? 'ended' : 'suspended');
      return;
    default:
      assert.fail(`unexpected event ${e.event} for ${m.method}`);
  }
}

test('every scripted message type round-trips field by field', () => {
  const script = new CreatorScript('roundtrip', '6900000000000000001', '7400000000000000001', 7);
  const scripted: ScriptedMessage[] = [];
  for (let i = 0; i < 600; i++) scripted.push(script.next());
  scripted.push({ method: Method.CONTROL, body: { action: 3 } }, { method: Method.CONTROL, body: { action: 4 } });

  const createTime = 1_700_000_000_000;
  const emitted = scripted.map((m, i) => {
    const msgId = String(7_300_000_000_000_000_000n + BigInt(i));
    const common: Obj = { method: m.method, msgId, createTime: createTime + i };
    if (m.displayKey) common.displayText = { key: m.displayKey };
    return { index: i + 1, msgId, method: m.method, payload: encodeRoomMessage(m.method, m.body, common), sentAt: 0 };
  });
  const decoder = new FrameDecoder();
  const events: UpstreamEvent[] = [];
  for (let i = 0; i < emitted.length; i += 25) {
    const batch = emitted.slice(i, i + 25);
    const frame = msgFrame(encodeFetchResult(batch, { cursor: `r-${i}`, internalExt: 'x', now: 1 }), i, String(i + 1));
    const decoded = decoder.decodeFrame(frame);
    assert.ok(decoded);
    events.push(...decoded.events);
  }
  assert.equal(events.length, scripted.length);
  assert.equal(decoder.stats.malformedMessages + decoder.stats.unknownMessages + decoder.stats.malformedFrames, 0);

  const seen = new Set<string>();
  events.forEach((e, i) => {
    assert.equal(e.data.msgId, emitted[i].msgId);
    assert.equal(e.data.timestamp, createTime + i);
    expectEvent(e, scripted[i]);
    seen.add(e.event);
  });
  const all = ['chat', 'gift', 'like', 'member', 'follow', 'share', 'roomUserSeq', 'subscribe', 'linkMicBattle', 'linkMicArmies', 'roomPin', 'liveIntro', 'emote', 'envelope', 'questionNew', 'streamEnd'];
  assert.deepEqual([...seen].sort(), [...all].sort());
});

test('gift streaks: repeat counts grow within a group and exactly one message ends it', () => {
  const script = new CreatorScript('streaks', '6900000000000000002', '7400000000000000002', 11);
  const groups = new Map<string, { counts: number[]; ends: number; type: number }>();
  for (let i = 0; i < 3000; i++) {
    const m = script.next();
    if (m.method !== Method.GIFT) continue;
    const g = groups.get(String(m.body.groupId)) ?? { counts: [], ends: 0, type: Number(o(m.body.gift).type) };
    g.counts.push(Number(m.body.repeatCount));
    if (m.body.repeatEnd === 1) g.ends++;
    groups.set(String(m.body.groupId), g);
  }
  let finished = 0;
  for (const g of groups.values()) {
    assert.ok(g.ends <= 1);
    for (let i = 1; i < g.counts.length; i++) assert.ok(g.counts[i] > g.counts[i - 1]);
    if (g.type === 1 && g.ends === 1) finished++;
  }
  assert.ok(finished > 5, `only ${finished} streaks finished`);
});

test('the first 100 messages contain all 14 seed event types', () => {
  const script = new CreatorScript('seed', '6900000000000000003', '7400000000000000003', 3);
  const methods = new Set<string>();
  const socialKeys = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const m = script.next();
    methods.add(m.method);
    if (m.displayKey) socialKeys.add(m.displayKey.includes('follow') ? 'follow' : 'share');
  }
  for (const method of Object.values(Method)) if (method !== Method.CONTROL) assert.ok(methods.has(method), method);
  assert.deepEqual([...socialKeys].sort(), ['follow', 'share']);
});
