/**
 * The seeded viewers of a creator's room, as WebCast User objects (schema field names):
 * int64 ids beyond 2^53, unicode nicknames, avatars, follow status, and badges of the
 * kinds TikTok shows (moderator, subscriber, gifter level).
 */

import type { ProtoObject } from '@tiktool/webcast';
import type { Rng } from './rng.js';

const FIRST = ['luna', 'max', 'sofia', 'kai', 'mia', 'leo', 'zoe', 'noah', 'emma', 'liam', 'aria', 'finn', 'yuki', 'omar', 'ines', 'ravi'];
const LAST = ['star', 'gamer', 'fan', 'vibes', 'official', 'tv', 'live', 'x', 'daily', 'music'];
const DECOR = ['', '', '', ' ✨', ' 🎮', ' 🌸', ' (ﾉ◕ヮ◕)ﾉ', ' 💜', 'ё'];

/** Badge scenes (BadgeStruct.badge_scene). */
export const BADGE_SCENE_MODERATOR = 1;
export const BADGE_SCENE_SUBSCRIBER = 4;
export const BADGE_SCENE_GIFTER = 8;

export interface Viewer {
  user: ProtoObject;
  moderator: boolean;
  subscriber: boolean;
  /** 0 none, 1 follower, 2 friend. */
  followStatus: number;
}

function avatar(id: string): ProtoObject {
  return { urlList: [`https://p16-sign.tiktokcdn.com/tos-maliva-avt-0068/${id}~c5_100x100.webp`], uri: `avt/${id}` };
}

export function makeViewer(rng: Rng, index: number): Viewer {
  const id = rng.int64(6_800_000_000_000_000_000n, 400_000_000_000_000_000n);
  const uniqueId = `${rng.pick(FIRST)}.${rng.pick(LAST)}${index}`;
  const nickname = `${uniqueId.split('.')[0].replace(/^./, (c) => c.toUpperCase())}${rng.pick(DECOR)}`;
  const moderator = rng.chance(0.05);
  const subscriber = rng.chance(0.12);
  const followStatus = Number(rng.weighted({ 0: 5, 1: 4, 2: 1 }));
  const badges: ProtoObject[] = [];
  if (moderator) {
    badges.push({ displayType: 4, badgeScene: BADGE_SCENE_MODERATOR, combine: { displayType: 4, str: 'Moderator' } });
  }
  if (subscriber) {
    const months = rng.int(1, 24);
    badges.push({
      displayType: 1,
      badgeScene: BADGE_SCENE_SUBSCRIBER,
      logExtra: { privilegeId: `sub_${months}`, level: String(months) },
      image: { displayType: 1, image: { urlList: [`https://p16-webcast.tiktokcdn.com/webcast-va/sub_badge_${months}.png`] } },
    });
  }
  if (rng.chance(0.4)) {
    const level = rng.int(1, 50);
    badges.push({
      displayType: 4,
      badgeScene: BADGE_SCENE_GIFTER,
      logExtra: { level: String(level) },
      combine: {
        displayType: 4,
        icon: { urlList: [`https://p16-webcast.tiktokcdn.com/webcast-va/grade_badge_${level}.png`] },
        str: String(level),
      },
    });
  }
  const user: ProtoObject = {
    id,
    idStr: id,
    nickname,
    displayId: uniqueId,
    secUid: `MS4wLjABAAAA${id}`,
    avatarThumb: avatar(id),
    followInfo: { followingCount: rng.int(0, 900), followerCount: rng.int(0, 50_000), followStatus },
    badgeList: badges,
  };
  return { user, moderator, subscriber, followStatus };
}

/** The UserIdentity that accompanies a viewer on chat, gift and emote messages. */
export function identityOf(v: Viewer): ProtoObject {
  return {
    isSubscriberOfAnchor: v.subscriber,
    isMutualFollowingWithAnchor: v.followStatus === 2,
    isFollowerOfAnchor: v.followStatus >= 1,
    isModeratorOfAnchor: v.moderator,
  };
}

export function hostUser(uniqueId: string, userId: string): ProtoObject {
  return {
    id: userId,
    idStr: userId,
    nickname: uniqueId.replace(/^./, (c) => c.toUpperCase()),
    displayId: uniqueId,
    secUid: `MS4wLjABAAAA${userId}`,
    avatarThumb: avatar(userId),
    followInfo: { followerCount: 125_000, followStatus: 0 },
  };
}
