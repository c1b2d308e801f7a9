/** User, its badges, follow info and the per-message UserIdentity flags. */

import type { Badge, User } from '@tiktool/protocol';
import type { WireReader } from '../wire/reader.js';
import { expectEnd, key, LEN, readImageUrl, VARINT } from './fields.js';

/** BadgeStruct.badge_scene values and the contract's badge type for each. */
const BADGE_TYPE_BY_SCENE: Record<number, string> = {
  1: 'moderator',
  3: 'friends',
  4: 'subscriber',
  6: 'topViewer',
  7: 'subscriber',
  8: 'gifter',
  10: 'fans',
  11: 'livePro',
  12: 'host',
};

export function emptyUser(): User {
  return {
    userId: '',
    uniqueId: '',
    nickname: '',
    profilePictureUrl: '',
    followRole: 0,
    isSubscriber: false,
    isModerator: false,
    badges: [],
  };
}

export function readUser(r: WireReader, end: number): User {
  let id = '';
  let idStr = '';
  let uniqueId = '';
  let nickname = '';
  let picture = '';
  let followRole = 0;
  let isSubscriber = false;
  let isModerator = false;
  const badges: Badge[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, VARINT):
        id = r.int64String();
        break;
      case key(3, LEN):
        nickname = r.string();
        break;
      case key(9, LEN):
        picture = readImageUrl(r, r.lengthEnd());
        break;
      case key(22, LEN):
        followRole = readFollowStatus(r, r.lengthEnd());
        break;
      case key(38, LEN):
        uniqueId = r.string();
        break;
      case key(64, LEN): {
        const badge = readBadge(r, r.lengthEnd());
        if (badge.type === 'subscriber') isSubscriber = true;
        else if (badge.type === 'moderator') isModerator = true;
        badges.push(badge);
        break;
      }
      case key(1028, LEN):
        idStr = r.string();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  return {
    userId: idStr !== '' ? idStr : id,
    uniqueId,
    nickname,
    profilePictureUrl: picture,
    followRole,
    isSubscriber,
    isModerator,
    badges,
  };
}

function readFollowStatus(r: WireReader, end: number): number {
  let status = 0;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(3, VARINT)) status = r.int64Number();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return status;
}

function readBadge(r: WireReader, end: number): Badge {
  let scene = 0;
  let name = '';
  let level = 0;
  let imageUrl = '';
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(3, VARINT):
        scene = r.int32();
        break;
      case key(12, LEN):
        level = readLogExtraLevel(r, r.lengthEnd());
        break;
      case key(20, LEN):
        imageUrl = readNestedImage(r, r.lengthEnd(), 2);
        break;
      case key(21, LEN):
        name = readTextBadge(r, r.lengthEnd());
        break;
      case key(22, LEN):
        name = readNestedString(r, r.lengthEnd(), 2);
        break;
      case key(23, LEN): {
        const combine = readCombineBadge(r, r.lengthEnd());
        if (combine.name !== '') name = combine.name;
        if (combine.imageUrl !== '') imageUrl = combine.imageUrl;
        break;
      }
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  return { type: BADGE_TYPE_BY_SCENE[scene] ?? 'other', name, level, imageUrl };
}

function readLogExtraLevel(r: WireReader, end: number): number {
  let level = 0;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(5, LEN)) {
      const n = Number(r.string());
      level = Number.isFinite(n) ? n : 0;
    } else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return level;
}

/** A message whose field `field` is an Image: that image's URL. */
function readNestedImage(r: WireReader, end: number, field: number): string {
  let url = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(field, LEN)) url = readImageUrl(r, r.lengthEnd());
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return url;
}

/** A message whose field `field` is a string: that string. */
function readNestedString(r: WireReader, end: number, field: number): string {
  let s = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(field, LEN)) s = r.string();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return s;
}

/** TextBadge: its default pattern, else its key. */
function readTextBadge(r: WireReader, end: number): string {
  let k = '';
  let pattern = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(2, LEN)) k = r.string();
    else if (tag === key(3, LEN)) pattern = r.string();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return pattern !== '' ? pattern : k;
}

function readCombineBadge(r: WireReader, end: number): { name: string; imageUrl: string } {
  let name = '';
  let imageUrl = '';
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(2, LEN):
        imageUrl = readImageUrl(r, r.lengthEnd());
        break;
      case key(3, LEN): {
        const text = readTextBadge(r, r.lengthEnd());
        if (name === '') name = text;
        break;
      }
      case key(4, LEN):
        name = r.string();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  return { name, imageUrl };
}

/** UserIdentity as bit flags (IDENTITY_*), applied to the user after the message is read. */
export const IDENTITY_SUBSCRIBER = 1;
export const IDENTITY_MUTUAL = 2;
export const IDENTITY_FOLLOWER = 4;
export const IDENTITY_MODERATOR = 8;

export function readIdentity(r: WireReader, end: number): number {
  let flags = 0;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(2, VARINT):
        if (r.bool()) flags |= IDENTITY_SUBSCRIBER;
        break;
      case key(3, VARINT):
        if (r.bool()) flags |= IDENTITY_MUTUAL;
        break;
      case key(4, VARINT):
        if (r.bool()) flags |= IDENTITY_FOLLOWER;
        break;
      case key(5, VARINT):
        if (r.bool()) flags |= IDENTITY_MODERATOR;
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  return flags;
}

export function applyIdentity(user: User, flags: number): void {
  if (flags & IDENTITY_SUBSCRIBER) user.isSubscriber = true;
  if (flags & IDENTITY_MODERATOR) user.isModerator = true;
  if (flags & IDENTITY_MUTUAL) user.followRole = 2;
  else if (flags & IDENTITY_FOLLOWER && user.followRole === 0) user.followRole = 1;
}
