/** BaseProtoMessage.method names of the room messages tiktool maps, and push frame types. */

export const Method = {
  CHAT: 'WebcastChatMessage',
  GIFT: 'WebcastGiftMessage',
  LIKE: 'WebcastLikeMessage',
  MEMBER: 'WebcastMemberMessage',
  SOCIAL: 'WebcastSocialMessage',
  ROOM_USER_SEQ: 'WebcastRoomUserSeqMessage',
  SUB_NOTIFY: 'WebcastSubNotifyMessage',
  LINK_MIC_BATTLE: 'WebcastLinkMicBattle',
  LINK_MIC_ARMIES: 'WebcastLinkMicArmies',
  ROOM_PIN: 'WebcastRoomPinMessage',
  LIVE_INTRO: 'WebcastLiveIntroMessage',
  EMOTE_CHAT: 'WebcastEmoteChatMessage',
  ENVELOPE: 'WebcastEnvelopeMessage',
  QUESTION_NEW: 'WebcastQuestionNewMessage',
  CONTROL: 'WebcastControlMessage',
  IM_DELETE: 'WebcastImDeleteMessage',
  POLL: 'WebcastPollMessage',
  GOAL_UPDATE: 'WebcastGoalUpdateMessage',
  RANK_UPDATE: 'WebcastRankUpdateMessage',
  HOURLY_RANK: 'WebcastHourlyRankMessage',
  CAPTION: 'WebcastCaptionMessage',
  IN_ROOM_BANNER: 'WebcastInRoomBannerMessage',
  BARRAGE: 'WebcastBarrageMessage',
  UNAUTHORIZED_MEMBER: 'WebcastUnauthorizedMemberMessage',
  ROOM: 'WebcastRoomMessage',
  LINK_MIC_BATTLE_PUNISH_FINISH: 'WebcastLinkMicBattlePunishFinish',
  LINK_MIC_BATTLE_ITEM_CARD: 'WebcastLinkMicBattleItemCard',
  OEC_LIVE_SHOPPING: 'WebcastOecLiveShoppingMessage',
} as const;

export type MethodName = (typeof Method)[keyof typeof Method];

/** WebcastPushFrame.payload_type values. */
export const FrameType = {
  MSG: 'msg',
  IM_ENTER_ROOM: 'im_enter_room',
  IM_ENTER_ROOM_RESP: 'im_enter_room_resp',
  HEARTBEAT: 'hb',
  ACK: 'ack',
  CLOSE: 'close',
} as const;

/** Frame types that carry no events but are part of the protocol. */
export const CONTROL_FRAME_TYPES: ReadonlySet<string> = new Set([
  FrameType.IM_ENTER_ROOM_RESP,
  FrameType.HEARTBEAT,
  FrameType.ACK,
  FrameType.CLOSE,
]);

/** WebcastPushFrame.payload_encoding of protobuf payloads. */
export const PAYLOAD_ENCODING_PB = 'pb';
