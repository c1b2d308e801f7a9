import type { CreatorEnvelope, GiftData, SuperFanData, User } from '@tiktool/live';

/**
 * One event in words, shared by the playground's feed and `tiktool watch`: who did it
 * (empty for room-wide events) and what.
 */
export interface EventWords {
  who: string;
  text: string;
}

export function displayName(user: User): string {
  return user.nickname || user.uniqueId || user.userId;
}

/** Diamonds a finished streak (or single gift) is worth. */
export function giftDiamonds(gift: GiftData): number {
  return gift.diamondCount * gift.repeatCount;
}

/** A streakable gift's intermediate message: the streak is still growing. */
export function isStreakInProgress(gift: GiftData): boolean {
  return !gift.repeatEnd;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const BATTLE_STATUS: Record<number, string> = { 1: 'started', 2: 'finished' };

const SUPER_FAN_WORDS: Record<SuperFanData['kind'], (d: SuperFanData) => string> = {
  join: () => 'became a Super Fan',
  box: (d) => `sent a Super Fan box: ${plural(d.diamondCount, 'diamond')}`,
  notice: (d) => d.text || 'Super Fan',
};

export function describeEvent(e: CreatorEnvelope): EventWords {
  switch (e.event) {
    case 'chat':
      return { who: displayName(e.data.user), text: e.data.comment };
    case 'gift': {
      const g = e.data;
      if (isStreakInProgress(g)) return { who: displayName(g.user), text: `is sending ${g.giftName} ×${g.repeatCount}…` };
      const timedOut = g.streakTimedOut ? ' (streak end not received; closed by the gateway)' : '';
      return { who: displayName(g.user), text: `sent ${g.giftName} ×${g.repeatCount} (${plural(giftDiamonds(g), 'diamond')})${timedOut}` };
    }
    case 'like':
      return { who: displayName(e.data.user), text: `liked ×${e.data.likeCount} (room total ${e.data.totalLikes})` };
    case 'member':
      return { who: displayName(e.data.user), text: 'joined' };
    case 'follow':
      return { who: displayName(e.data.user), text: 'followed the host' };
    case 'share':
      return { who: displayName(e.data.user), text: 'shared the LIVE' };
    case 'roomUserSeq':
      return { who: '', text: `${plural(e.data.viewerCount, 'viewer')} watching` };
    case 'subscribe':
      return { who: displayName(e.data.user), text: `subscribed (month ${e.data.subMonth})` };
    case 'linkMicBattle':
      return {
        who: '',
        text: `battle ${BATTLE_STATUS[e.data.battleStatus] ?? `status ${e.data.battleStatus}`}: ${e.data.battleUsers.map(displayName).join(' vs ')}`,
      };
    case 'linkMicArmies':
      return { who: '', text: `battle score: ${e.data.armies.map((a) => a.points).join(' : ')}` };
    case 'roomPin':
      return {
        who: displayName(e.data.operator),
        text: `pinned ${displayName(e.data.pinnedMessage.user)}: ${e.data.pinnedMessage.comment}`,
      };
    case 'liveIntro':
      return { who: displayName(e.data.host), text: `intro: ${e.data.description}` };
    case 'emote':
      return { who: displayName(e.data.user), text: `sent ${plural(e.data.emotes.length, 'emote')}` };
    case 'envelope':
      return {
        who: displayName(e.data.user),
        text: `dropped a treasure chest: ${plural(e.data.diamondCount, 'diamond')} for ${plural(e.data.peopleCount, 'viewer')}`,
      };
    case 'questionNew':
      return { who: displayName(e.data.user), text: `asked: ${e.data.content}` };
    case 'imDelete':
      return {
        who: '',
        text: `moderator deleted ${plural(e.data.msgIds.length, 'message')}${e.data.userIds.length > 0 ? ` and everything by ${plural(e.data.userIds.length, 'user')}` : ''}`,
      };
    case 'poll':
      return {
        who: '',
        text: `poll ${e.data.action}${e.data.title ? ` "${e.data.title}"` : ''}: ${e.data.options.map((o) => `${o.text} ${o.votes}`).join(' · ')}`,
      };
    case 'goalUpdate':
      return {
        who: displayName(e.data.contributor),
        text: `goal "${e.data.description}": ${e.data.subGoals.map((g) => `${g.progress}/${g.target}${g.giftName ? ` ${g.giftName}` : ''}`).join(', ')}`,
      };
    case 'rankUpdate':
      return { who: '', text: `rank: ${e.data.updates.map((u) => (u.ownerRank > 0 ? `#${u.ownerRank} ${u.text}` : u.text)).join(' · ')}` };
    case 'hourlyRank':
      return { who: '', text: `hourly rank: ${e.data.label}` };
    case 'caption':
      return {
        who: '',
        text: `caption${e.data.final ? '' : ' (partial)'}: ${e.data.captions.map((c) => `[${c.language}] ${c.text}`).join(' ')}`,
      };
    case 'inRoomBanner':
      return { who: '', text: `banner at position ${e.data.position}` };
    case 'barrage':
      return { who: displayName(e.data.user), text: `banner: ${e.data.text || e.data.textKey}` };
    case 'superFan':
      return { who: displayName(e.data.user), text: SUPER_FAN_WORDS[e.data.kind](e.data) };
    case 'unauthorizedMember':
      return { who: e.data.nickname, text: 'joined (identity hidden)' };
    case 'roomMessage':
      return { who: '', text: e.data.content };
    case 'linkMicBattlePunish':
      return { who: '', text: e.data.reason === 'cutShort' ? 'battle punishment cut short' : 'battle punishment over' };
    case 'linkMicBattleItemCard':
      return { who: displayName(e.data.sender), text: `used a ${e.data.cardType} power-up in the battle` };
    case 'oecLiveShopping':
      return { who: '', text: `pinned product: ${e.data.title} ${e.data.price}` };
    case 'livePause':
      return { who: '', text: 'the LIVE is paused' };
    case 'liveUnpause':
      return { who: '', text: 'the LIVE is back' };
    case 'streamEnd':
      return { who: '', text: e.data.reason === 'suspended' ? 'the LIVE was suspended by TikTok' : 'the LIVE ended' };
    case 'unknown':
      return { who: '', text: `${e.data.method} (not mapped yet)` };
  }
}
