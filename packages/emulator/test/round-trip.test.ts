/**
 * The emulator's encoding, decoded by the client, gives back the scripted values,
 * field by field, for every event type.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CREATOR_EVENT_NAMES, type Badge, type UpstreamEvent, type User } from '@tiktool/protocol';
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
  const follow = identity.isMutualFollowingWithAnchor
    ? 2
    : Number(o(u.followInfo).followStatus ?? 0) || (identity.isFollowerOfAnchor ? 1 : 0);
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
      expectFeatureEvent(e, m);
  }
}

const text = (t: unknown) => String(o(t).defaultPattern ?? '');

function expectBattleUser(actual: User, info: unknown): void {
  const u = o(o(info).user);
  assert.equal(actual.userId, String(u.userId ?? ''));
  assert.equal(actual.nickname, String(u.nickName ?? ''));
  assert.equal(actual.uniqueId, String(u.displayId ?? ''));
  assert.equal(actual.profilePictureUrl, url(u.avatarThumb));
}

/** The events mapped since the seed set (room-features.ts). */
function expectFeatureEvent(e: UpstreamEvent, m: ScriptedMessage): void {
  const b = m.body;
  switch (e.event) {
    case 'imDelete':
      assert.deepEqual(e.data.msgIds, list(b.deleteMsgIds).map(String));
      assert.deepEqual(e.data.userIds, list(b.deleteUserIds).map(String));
      return;
    case 'poll': {
      const content = o(b.startContent ?? b.endContent ?? b.updateContent);
      assert.equal(e.data.pollId, b.pollId);
      assert.equal(e.data.action, b.startContent ? 'start' : b.endContent ? 'end' : 'update');
      assert.equal(e.data.title, String(content.title ?? ''));
      assert.equal(e.data.endTime, Number(content.endTime ?? 0));
      assert.equal(e.data.pollKind, b.pollKind);
      assert.deepEqual(
        e.data.options,
        list(content.optionList).map((x) => ({ index: x.optionIdx, text: x.displayContent, votes: x.votes })),
      );
      if (content.operator) expectUser(e.data.operator, o(content.operator));
      else assert.equal(e.data.operator.userId, '');
      return;
    }
    case 'goalUpdate': {
      const goal = o(b.goal);
      assert.equal(e.data.goalId, goal.idStr);
      assert.equal(e.data.description, goal.description);
      assert.equal(e.data.status, goal.status);
      assert.deepEqual(
        e.data.subGoals,
        list(goal.subGoals).map((g) => ({
          subGoalId: g.idStr,
          type: g.type,
          progress: g.progress,
          target: g.target,
          giftName: o(g.gift).name,
          giftDiamondCount: o(g.gift).diamondCount,
          giftImageUrl: url(o(g.gift).icon),
        })),
      );
      assert.equal(e.data.contributor.userId, b.contributorIdStr);
      assert.equal(e.data.contributor.uniqueId, b.contributorDisplayId);
      assert.equal(e.data.contributor.profilePictureUrl, url(b.contributorAvatar));
      assert.equal(e.data.contributeCount, b.contributeCount);
      assert.equal(e.data.contributeScore, b.contributeScore);
      return;
    }
    case 'rankUpdate':
      assert.deepEqual(
        e.data.updates,
        list(b.updates).map((u) => ({ rankType: u.rankType, ownerRank: u.ownerRank, text: text(u.defaultContent) })),
      );
      return;
    case 'hourlyRank': {
      const r = o(o(b.data).rankings);
      assert.equal(e.data.rankType, r.type);
      assert.equal(e.data.label, r.label);
      return;
    }
    case 'caption':
      assert.equal(e.data.sentenceId, b.sentenceId);
      assert.equal(e.data.timestampMs, b.timestampMs);
      assert.equal(e.data.durationMs, b.durationMs);
      assert.equal(e.data.final, b.definite);
      assert.deepEqual(
        e.data.captions,
        list(b.content).map((c) => ({ language: c.lang, text: c.content })),
      );
      return;
    case 'inRoomBanner':
      assert.equal(e.data.position, b.position);
      assert.equal(e.data.actionType, b.actionType);
      assert.deepEqual(e.data.extra, b.extra);
      return;
    case 'barrage':
      assert.equal(e.data.barrageType, b.msgType);
      assert.equal(e.data.textKey, o(b.content).key);
      assert.equal(e.data.text, text(b.content));
      assert.equal(e.data.duration, b.duration);
      expectUser(e.data.user, o(o(b.userGradeParam ?? b.fansLevelParam).user));
      return;
    case 'superFan':
      if (m.method === Method.ENVELOPE) {
        const info = o(b.envelopeInfo);
        assert.equal(e.data.kind, 'box');
        assert.equal(e.data.textKey, m.displayKey);
        assert.equal(e.data.envelopeId, info.envelopeId);
        assert.equal(e.data.diamondCount, info.diamondCount);
        assert.equal(e.data.user.userId, info.sendUserId);
        assert.equal(e.data.user.nickname, info.sendUserName);
        return;
      }
      assert.equal(e.data.kind, String(o(b.content).key).includes('superfanjoined') ? 'join' : 'notice');
      assert.equal(e.data.textKey, o(b.content).key);
      assert.equal(e.data.text, text(b.content));
      expectUser(e.data.user, o(o(b.fansLevelParam).user));
      return;
    case 'unauthorizedMember':
      assert.equal(e.data.action, b.action);
      assert.equal(e.data.nickname, b.nickName);
      assert.equal(e.data.nicknamePrefix, text(b.nickNamePrefix));
      assert.equal(e.data.enterText, text(b.enterText));
      return;
    case 'roomMessage':
      assert.equal(e.data.content, b.content);
      return;
    case 'linkMicBattlePunish':
      assert.equal(e.data.battleId, b.battleId);
      assert.equal(e.data.reason, b.reason === 1 ? 'cutShort' : 'timeUp');
      assert.equal(e.data.operatorUserId, String(b.opUid ?? ''));
      return;
    case 'linkMicBattleItemCard': {
      const [field, use] = Object.entries(b).find(([k]) => k.startsWith('use'))!;
      const u = o(use);
      const info = o(o(u.cardInfo).common ?? u.cardInfo);
      assert.equal(e.data.battleId, b.battleId);
      assert.equal(
        e.data.cardType,
        field.replace(/^use|Card$/g, '').replace(/^./, (c) => c.toLowerCase()),
      );
      assert.equal(e.data.cardName, info.cardNameKey);
      assert.equal(e.data.imageUrl, url(info.cardImage));
      expectBattleUser(e.data.sender, info.sendUser);
      assert.equal(e.data.anchorUserId, u.anchorId);
      assert.equal(e.data.effectSeconds, info.effectLastDuration);
      assert.equal(e.data.text, text(u.displayContent));
      return;
    }
    case 'oecLiveShopping': {
      const p = o(b.shopData);
      assert.deepEqual(
        { title: e.data.title, price: e.data.price, imageUrl: e.data.imageUrl, productUrl: e.data.productUrl, shopName: e.data.shopName },
        { title: p.title, price: p.priceString, imageUrl: p.imageUrl, productUrl: p.shopUrl, shopName: p.shopName },
      );
      return;
    }
    case 'livePause':
    case 'liveUnpause':
      assert.equal(e.event, b.action === 1 ? 'livePause' : 'liveUnpause');
      assert.equal(e.data.action, b.action);
      assert.equal(e.data.tips, b.tips);
      return;
    default:
      assert.fail(`unexpected event ${e.event} for ${m.method}`);
  }
}

interface RoundTrip {
  scripted: ScriptedMessage[];
  emitted: { msgId: string }[];
  events: UpstreamEvent[];
  decoder: FrameDecoder;
}

const CREATE_TIME = 1_700_000_000_000;

/** 600 scripted messages (plus a deletion by msgId and both ends) encoded as the room does, then decoded. */
function roundTrip(): RoundTrip {
  const script = new CreatorScript('roundtrip', '6900000000000000001', '7400000000000000001', 7);
  const scripted: ScriptedMessage[] = [];
  for (let i = 0; i < 600; i++) scripted.push(script.next());
  scripted.push(
    { method: Method.IM_DELETE, body: { deleteMsgIds: ['7300000000000000005', '7300000000000000009'], deleteUserIds: [] } },
    { method: Method.CONTROL, body: { action: 3 } },
    { method: Method.CONTROL, body: { action: 4 } },
  );
  const emitted = scripted.map((m, i) => {
    const msgId = String(7_300_000_000_000_000_000n + BigInt(i));
    const common: Obj = { method: m.method, msgId, createTime: CREATE_TIME + i };
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
  return { scripted, emitted, events, decoder };
}

test('every scripted message decodes to one event, none unknown or malformed', () => {
  const { scripted, events, decoder } = roundTrip();
  assert.equal(events.length, scripted.length);
  assert.equal(decoder.stats.malformedMessages + decoder.stats.unknownMessages + decoder.stats.malformedFrames, 0);
  assert.deepEqual([...new Set(events.map((e) => e.event))].sort(), CREATOR_EVENT_NAMES.filter((n) => n !== 'unknown').sort());
});

for (const name of CREATOR_EVENT_NAMES.filter((n) => n !== 'unknown')) {
  test(`${name} round-trips field by field`, () => {
    const { scripted, emitted, events } = roundTrip();
    let checked = 0;
    events.forEach((e, i) => {
      if (e.event !== name) return;
      assert.equal(e.data.msgId, emitted[i].msgId);
      assert.equal(e.data.timestamp, CREATE_TIME + i);
      expectEvent(e, scripted[i]);
      checked++;
    });
    assert.ok(checked > 0, `the script produced no ${name}`);
  });
}

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

test('the first 100 messages contain every mapped message type', () => {
  const script = new CreatorScript('seed', '6900000000000000003', '7400000000000000003', 3);
  const methods = new Set<string>();
  const socialKeys = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const m = script.next();
    methods.add(m.method);
    if (m.displayKey) socialKeys.add(m.displayKey.includes('follow') ? 'follow' : 'share');
  }
  for (const method of Object.values(Method)) assert.ok(methods.has(method), method);
  assert.deepEqual([...socialKeys].sort(), ['follow', 'share']);
});
