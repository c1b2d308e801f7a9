/** Which decoder maps which BaseProtoMessage.method to a contract event. */

import type { UpstreamEvent } from '@tiktool/protocol';
import { Method } from '../methods.js';
import type { WireReader } from '../wire/reader.js';
import type { MessageContext } from './common.js';
import { decodeBarrage } from './messages/barrage.js';
import { decodeBattleItemCard } from './messages/battle-item-card.js';
import { decodeBattlePunish } from './messages/battle-punish.js';
import { decodeLinkMicArmies, decodeLinkMicBattle } from './messages/battle.js';
import { decodeCaption } from './messages/caption.js';
import { decodeChat } from './messages/chat.js';
import { decodeControl } from './messages/control.js';
import { decodeEmoteChat } from './messages/emote.js';
import { decodeEnvelope } from './messages/envelope.js';
import { decodeGift } from './messages/gift.js';
import { decodeGoalUpdate } from './messages/goal-update.js';
import { decodeHourlyRank } from './messages/hourly-rank.js';
import { decodeImDelete } from './messages/im-delete.js';
import { decodeInRoomBanner } from './messages/in-room-banner.js';
import { decodeLike } from './messages/like.js';
import { decodeLiveIntro } from './messages/live-intro.js';
import { decodeMember } from './messages/member.js';
import { decodeOecLiveShopping } from './messages/oec-live-shopping.js';
import { decodePoll } from './messages/poll.js';
import { decodeQuestionNew } from './messages/question.js';
import { decodeRankUpdate } from './messages/rank-update.js';
import { decodeRoomMessage } from './messages/room-message.js';
import { decodeRoomPin } from './messages/room-pin.js';
import { decodeRoomUserSeq } from './messages/room-user-seq.js';
import { decodeSocial } from './messages/social.js';
import { decodeSubNotify } from './messages/subscribe.js';
import { decodeUnauthorizedMember } from './messages/unauthorized-member.js';

/**
 * Reads one message payload, buf[r.pos, end), into an event. Returns undefined when the
 * message is of a kind the contract does not map (it is then passed through as unknown).
 */
export type MessageDecoder = (r: WireReader, end: number, ctx: MessageContext) => UpstreamEvent | undefined;

export const MESSAGE_DECODERS: ReadonlyMap<string, MessageDecoder> = new Map<string, MessageDecoder>([
  [Method.CHAT, decodeChat],
  [Method.GIFT, decodeGift],
  [Method.LIKE, decodeLike],
  [Method.MEMBER, decodeMember],
  [Method.SOCIAL, decodeSocial],
  [Method.ROOM_USER_SEQ, decodeRoomUserSeq],
  [Method.SUB_NOTIFY, decodeSubNotify],
  [Method.LINK_MIC_BATTLE, decodeLinkMicBattle],
  [Method.LINK_MIC_ARMIES, decodeLinkMicArmies],
  [Method.ROOM_PIN, decodeRoomPin],
  [Method.LIVE_INTRO, decodeLiveIntro],
  [Method.EMOTE_CHAT, decodeEmoteChat],
  [Method.ENVELOPE, decodeEnvelope],
  [Method.QUESTION_NEW, decodeQuestionNew],
  [Method.CONTROL, decodeControl],
  [Method.IM_DELETE, decodeImDelete],
  [Method.POLL, decodePoll],
  [Method.GOAL_UPDATE, decodeGoalUpdate],
  [Method.RANK_UPDATE, decodeRankUpdate],
  [Method.HOURLY_RANK, decodeHourlyRank],
  [Method.CAPTION, decodeCaption],
  [Method.IN_ROOM_BANNER, decodeInRoomBanner],
  [Method.BARRAGE, decodeBarrage],
  [Method.UNAUTHORIZED_MEMBER, decodeUnauthorizedMember],
  [Method.ROOM, decodeRoomMessage],
  [Method.LINK_MIC_BATTLE_PUNISH_FINISH, decodeBattlePunish],
  [Method.LINK_MIC_BATTLE_ITEM_CARD, decodeBattleItemCard],
  [Method.OEC_LIVE_SHOPPING, decodeOecLiveShopping],
]);
