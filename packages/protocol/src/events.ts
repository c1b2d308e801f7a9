/**
 * Event names and the data each event carries. Field names are a superset of the
 * established hosted API so its users can switch without renaming anything.
 * int64 identifiers from TikTok are strings: they do not fit a JS number.
 */

export interface Badge {
  /** Kind of badge, e.g. "subscriber", "moderator", "gifter", "fans", "topViewer". */
  type: string;
  name: string;
  level: number;
  imageUrl: string;
}

export interface User {
  userId: string;
  uniqueId: string;
  nickname: string;
  profilePictureUrl: string;
  /** 0 = none, 1 = follower, 2 = friend (mutual follow). */
  followRole: number;
  isSubscriber: boolean;
  isModerator: boolean;
  badges: Badge[];
}

export interface Emote {
  emoteId: string;
  imageUrl: string;
  /** Character index in the comment where the emote stands, -1 when not inline. */
  placeInComment: number;
}

/** Present on every creator event's data. */
export interface EventMeta {
  /** TikTok's message id, unique per creator; stable across upstream reconnects. */
  msgId: string;
  /** When TikTok created the message, ms since the Unix epoch. */
  timestamp: number;
}

export interface ChatData extends EventMeta {
  user: User;
  comment: string;
  emotes: Emote[];
}

export interface GiftData extends EventMeta {
  user: User;
  giftId: number;
  giftName: string;
  /** Diamonds of one gift; a streak is worth diamondCount * repeatCount. */
  diamondCount: number;
  repeatCount: number;
  /** True on the last message of a streak, and on every non-streakable gift. */
  repeatEnd: boolean;
  /** 1 = streakable (combo) gift: only the repeatEnd message closes the streak. */
  giftType: number;
  /** Identifies the streak the message belongs to. */
  groupId: string;
  giftPictureUrl: string;
  /** Receiver in multi-guest rooms; the host otherwise. Empty string when unknown. */
  receiverUserId: string;
}

export interface LikeData extends EventMeta {
  user: User;
  likeCount: number;
  totalLikes: number;
}

export interface MemberData extends EventMeta {
  user: User;
  /** 1 = joined. */
  actionId: number;
}

export interface FollowData extends EventMeta {
  user: User;
}

export interface ShareData extends EventMeta {
  user: User;
}

export interface TopViewer {
  user: User;
  coinCount: number;
  rank: number;
}

export interface RoomUserSeqData extends EventMeta {
  viewerCount: number;
  topViewers: TopViewer[];
}

export interface SubscribeData extends EventMeta {
  user: User;
  subMonth: number;
}

export interface BattleUser {
  user: User;
}

export interface LinkMicBattleData extends EventMeta {
  battleId: string;
  /** 1 = running, 2 = finished (TikTok's values, passed through). */
  battleStatus: number;
  /** Host of each team, in TikTok's order. */
  battleUsers: User[];
}

export interface ArmyParticipant {
  user: User;
  points: number;
}

export interface Army {
  hostUserId: string;
  points: number;
  participants: ArmyParticipant[];
}

export interface LinkMicArmiesData extends EventMeta {
  battleId: string;
  battleStatus: number;
  armies: Army[];
}

export interface RoomPinData extends EventMeta {
  /** Who pinned the message (the host or a moderator). */
  operator: User;
  /** The pinned chat message. */
  pinnedMessage: { user: User; comment: string; msgId: string };
  /** When the pin expires, ms since the Unix epoch; 0 when unknown. */
  pinEndTime: number;
}

export interface LiveIntroData extends EventMeta {
  host: User;
  description: string;
}

export interface EmoteData extends EventMeta {
  user: User;
  emotes: Emote[];
}

export interface EnvelopeData extends EventMeta {
  envelopeId: string;
  /** The sender of the treasure chest. */
  user: User;
  diamondCount: number;
  peopleCount: number;
}

export interface QuestionNewData extends EventMeta {
  questionId: string;
  user: User;
  content: string;
}

export interface StreamEndData extends EventMeta {
  /** 3 = ended by the creator, 4 = suspended by TikTok. */
  action: number;
  reason: 'ended' | 'suspended';
}

/** A TikTok message type the gateway does not map yet, passed through undecoded. */
export interface UnknownData extends EventMeta {
  method: string;
  /** The protobuf payload, base64. */
  payload: string;
}

export interface RoomInfoData {
  sessionId: string;
  uniqueId: string;
  roomId: string;
  title: string;
  viewerCount: number;
  likeCount: number;
  /** Identifies the creator stream's history; changes when that history is lost. */
  epoch: string;
  /** Seq of the newest event in the creator stream when this connection began. */
  seq: number;
  /** True when this connection resumed a session. */
  resumed: boolean;
  /** On a resume: true when every missed event was replayed; false means a gap. */
  recovered: boolean;
  /** How many missed events were replayed after this message. */
  replayed: number;
}

/** Every event that comes from the creator's stream, by name. */
export interface CreatorEventMap {
  chat: ChatData;
  gift: GiftData;
  like: LikeData;
  member: MemberData;
  follow: FollowData;
  share: ShareData;
  roomUserSeq: RoomUserSeqData;
  subscribe: SubscribeData;
  linkMicBattle: LinkMicBattleData;
  linkMicArmies: LinkMicArmiesData;
  roomPin: RoomPinData;
  liveIntro: LiveIntroData;
  emote: EmoteData;
  envelope: EnvelopeData;
  questionNew: QuestionNewData;
  streamEnd: StreamEndData;
  unknown: UnknownData;
}

/** Every event a client can receive, by name. */
export interface EventMap extends CreatorEventMap {
  roomInfo: RoomInfoData;
}

export type CreatorEventName = keyof CreatorEventMap;
export type EventName = keyof EventMap;

/** The creator event names, in documentation order. */
export const CREATOR_EVENT_NAMES: readonly CreatorEventName[] = [
  'chat',
  'gift',
  'like',
  'member',
  'follow',
  'share',
  'roomUserSeq',
  'subscribe',
  'linkMicBattle',
  'linkMicArmies',
  'roomPin',
  'liveIntro',
  'emote',
  'envelope',
  'questionNew',
  'streamEnd',
  'unknown',
];

/** The 14 seed events every upstream maps. */
export const SEED_EVENT_NAMES: readonly CreatorEventName[] = CREATOR_EVENT_NAMES.slice(0, 14);

export function isCreatorEventName(name: string): name is CreatorEventName {
  return (CREATOR_EVENT_NAMES as readonly string[]).includes(name);
}
