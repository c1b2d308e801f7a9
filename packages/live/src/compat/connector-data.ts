/**
 * The gateway's events in TikTok-Live-Connector 1.x's flat data shapes: the user's
 * fields spread into the event (userId, uniqueId, nickname, profilePictureUrl, ...),
 * ids as strings, `createTime` as a string of ms. Fields the gateway does not carry get
 * the connector's empty value (secUid '', topGifterRank null, userDetails with the one
 * avatar known).
 */

import type { Badge, CreatorEventMap, Emote, GiftData, User } from '@tiktool/protocol';

export interface ConnectorBadge {
  type: string;
  name: string;
  displayType?: number;
  url?: string;
}

export interface ConnectorUser {
  userId: string;
  secUid: string;
  uniqueId: string;
  nickname: string;
  profilePictureUrl: string;
  followRole: number;
  userBadges: ConnectorBadge[];
  userDetails: { createTime: string; bioDescription: string; profilePictureUrls: string[] };
  followInfo: { followingCount: number; followerCount: number; followStatus: number; pushStatus: number };
  isModerator: boolean;
  isNewGifter: boolean;
  isSubscriber: boolean;
  topGifterRank: number | null;
}

/** The connector's common message fields. */
export interface ConnectorMeta {
  msgId: string;
  createTime: string;
}

function badge(b: Badge): ConnectorBadge {
  if (b.imageUrl !== '') return { type: 'image', name: b.name, displayType: 1, url: b.imageUrl };
  return { type: b.type, name: b.name };
}

export function connectorUser(u: User): ConnectorUser {
  return {
    userId: u.userId,
    secUid: '',
    uniqueId: u.uniqueId,
    nickname: u.nickname,
    profilePictureUrl: u.profilePictureUrl,
    followRole: u.followRole,
    userBadges: u.badges.map(badge),
    userDetails: { createTime: '0', bioDescription: '', profilePictureUrls: u.profilePictureUrl ? [u.profilePictureUrl] : [] },
    followInfo: { followingCount: 0, followerCount: 0, followStatus: u.followRole, pushStatus: 0 },
    isModerator: u.isModerator,
    isNewGifter: false,
    isSubscriber: u.isSubscriber,
    topGifterRank: null,
  };
}

function meta(d: { msgId: string; timestamp: number }): ConnectorMeta {
  return { msgId: d.msgId, createTime: String(d.timestamp) };
}

function emote(e: Emote): { emoteId: string; emoteImageUrl: string; placeInComment: number } {
  return { emoteId: e.emoteId, emoteImageUrl: e.imageUrl, placeInComment: e.placeInComment };
}

export function chatData(d: CreatorEventMap['chat']) {
  return { comment: d.comment, ...connectorUser(d.user), emotes: d.emotes.map(emote), ...meta(d) };
}

export function giftData(d: GiftData, extendedGiftInfo: unknown) {
  return {
    giftId: d.giftId,
    repeatCount: d.repeatCount,
    repeatEnd: d.repeatEnd,
    groupId: d.groupId,
    ...connectorUser(d.user),
    ...meta(d),
    displayType: 'webcast_aweme_gift_send_message',
    label: '{0:user} sent {1:gift} {2:string}',
    gift: { gift_id: d.giftId, repeat_count: d.repeatCount, repeat_end: d.repeatEnd ? 1 : 0, gift_type: d.giftType },
    describe: `Sent ${d.giftName}`,
    giftType: d.giftType,
    diamondCount: d.diamondCount,
    giftName: d.giftName,
    giftPictureUrl: d.giftPictureUrl,
    timestamp: d.timestamp,
    extendedGiftInfo,
    receiverUserId: d.receiverUserId,
  };
}

export function likeData(d: CreatorEventMap['like']) {
  return {
    likeCount: d.likeCount,
    totalLikeCount: d.totalLikes,
    ...connectorUser(d.user),
    ...meta(d),
    displayType: 'pm_mt_msg_viewer',
    label: '{0:user} liked the LIVE',
  };
}

export function memberData(d: CreatorEventMap['member']) {
  return { actionId: d.actionId, ...connectorUser(d.user), ...meta(d), displayType: 'live_room_enter_toast', label: '{0:user} joined' };
}

export function socialData(d: CreatorEventMap['follow'], kind: 'follow' | 'share') {
  return {
    ...connectorUser(d.user),
    ...meta(d),
    displayType: kind === 'follow' ? 'pm_main_follow_message_viewer_2' : 'pm_mt_guidance_share',
    label: kind === 'follow' ? '{0:user} followed the host' : '{0:user} shared the LIVE',
  };
}

export function roomUserData(d: CreatorEventMap['roomUserSeq']) {
  return {
    topViewers: d.topViewers.map((t) => ({ user: connectorUser(t.user), coinCount: t.coinCount })),
    viewerCount: d.viewerCount,
  };
}

export function subscribeData(d: CreatorEventMap['subscribe']) {
  return { subMonth: d.subMonth, ...connectorUser(d.user), ...meta(d) };
}

export function questionData(d: CreatorEventMap['questionNew']) {
  return { questionText: d.content, ...connectorUser(d.user), ...meta(d) };
}

export function battleData(d: CreatorEventMap['linkMicBattle']) {
  return { battleUsers: d.battleUsers.map(connectorUser) };
}

export function armiesData(d: CreatorEventMap['linkMicArmies']) {
  return {
    battleStatus: d.battleStatus,
    battleArmies: d.armies.map((a) => ({
      hostUserId: a.hostUserId,
      points: a.points,
      participants: a.participants.map((p) => connectorUser(p.user)),
    })),
  };
}

export function envelopeData(d: CreatorEventMap['envelope']) {
  return { ...connectorUser(d.user), coins: d.diamondCount, canOpen: d.peopleCount, timestamp: Math.floor(d.timestamp / 1000) };
}

export function emoteData(d: CreatorEventMap['emote']) {
  const first = d.emotes[0];
  return { ...connectorUser(d.user), emoteId: first?.emoteId ?? '', emoteImageUrl: first?.imageUrl ?? '' };
}

export function liveIntroData(d: CreatorEventMap['liveIntro'], roomId: string) {
  return { id: roomId, description: d.description, ...connectorUser(d.host) };
}
