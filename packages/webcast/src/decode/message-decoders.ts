/** Which decoder maps which BaseProtoMessage.method to a contract event. */

import type { UpstreamEvent } from '@tiktool/protocol';
import { Method } from '../methods.js';
import type { WireReader } from '../wire/reader.js';
import type { MessageContext } from './common.js';
import { decodeLinkMicArmies, decodeLinkMicBattle } from './messages/battle.js';
import { decodeChat } from './messages/chat.js';
import { decodeControl } from './messages/control.js';
import { decodeEmoteChat } from './messages/emote.js';
import { decodeEnvelope } from './messages/envelope.js';
import { decodeGift } from './messages/gift.js';
import { decodeLike } from './messages/like.js';
import { decodeLiveIntro } from './messages/live-intro.js';
import { decodeMember } from './messages/member.js';
import { decodeQuestionNew } from './messages/question.js';
import { decodeRoomPin } from './messages/room-pin.js';
import { decodeRoomUserSeq } from './messages/room-user-seq.js';
import { decodeSocial } from './messages/social.js';
import { decodeSubNotify } from './messages/subscribe.js';

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
]);
