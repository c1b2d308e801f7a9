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
  /** diamondCount * repeatCount: what the streak is worth so far (its total on the final message). */
  totalDiamondCount: number;
  /**
   * Present (true) only on a final message the gateway synthesized because TikTok's
   * repeatEnd never came (see docs/protocol.md, "Gift streaks").
   */
  streakTimedOut?: boolean;
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

/** The LIVE was paused (livePause, control action 1) or resumed (liveUnpause, action 2); it has not ended. */
export interface LivePauseData extends EventMeta {
  action: number;
  /** TikTok's notice to viewers, often empty. */
  tips: string;
}

/** Messages a moderator deleted: remove them (or everything by these users) from an overlay. */
export interface ImDeleteData extends EventMeta {
  msgIds: string[];
  userIds: string[];
}

export interface PollOption {
  /** TikTok's option index, 0-based. */
  index: number;
  text: string;
  votes: number;
}

export interface PollData extends EventMeta {
  pollId: string;
  /** Which phase this message reports; told by which content TikTok filled in. */
  action: 'start' | 'update' | 'end';
  /** Set on start; empty on update and end. */
  title: string;
  options: PollOption[];
  /** Who started (or ended) the poll; empty user on update. */
  operator: User;
  /** 0 normal, 1 gift, 2 customizable, 3 customizable gift, 4 quick gift, 5 emote. */
  pollKind: number;
  /** On start: when the poll closes, seconds since the Unix epoch (inferred unit); 0 otherwise. */
  endTime: number;
}

export interface SubGoal {
  subGoalId: string;
  /** TikTok's sub-goal type (gift goals are the common case). */
  type: number;
  progress: number;
  target: number;
  giftName: string;
  giftDiamondCount: number;
  giftImageUrl: string;
}

export interface GoalUpdateData extends EventMeta {
  goalId: string;
  description: string;
  /** TikTok's goal status, passed through. */
  status: number;
  subGoals: SubGoal[];
  /** The viewer whose contribution caused this update (id, @name and avatar only); empty user when none. */
  contributor: User;
  contributeCount: number;
  contributeScore: number;
}

export interface RankEntry {
  /** TikTok's rank list type: 0 hourly, 1 weekly, 8 daily ... */
  rankType: number;
  /** The creator's position on that list; 0 when not on it. */
  ownerRank: number;
  /** The banner text TikTok shows (its default pattern, placeholders included). */
  text: string;
}

export interface RankUpdateData extends EventMeta {
  updates: RankEntry[];
}

export interface HourlyRankData extends EventMeta {
  /** Rank list, e.g. "hourly" (inferred layout, see docs/protocol.md). */
  rankType: string;
  /** The text TikTok shows, e.g. "Top 5 LIVE this hour". */
  label: string;
}

export interface CaptionData extends EventMeta {
  sentenceId: string;
  /** Where the sentence starts in the stream, ms. */
  timestampMs: number;
  durationMs: number;
  /** The sentence in each language TikTok transcribed or translated it to. */
  captions: { language: string; text: string }[];
  /** False while TikTok may still revise the sentence. */
  final: boolean;
}

export interface InRoomBannerData extends EventMeta {
  position: number;
  actionType: number;
  /** TikTok's banner fields as it sends them (values are often JSON text). */
  extra: Record<string, string>;
}

export interface BarrageData extends EventMeta {
  /** TikTok's barrage type: 3 normal, 4 subscribe, 8 user level up, 10 fan level up ... */
  barrageType: number;
  /** TikTok's text key, e.g. "pm_mt_barrage_user_upgrade". */
  textKey: string;
  /** The text's default pattern, placeholders such as {0:user} included. */
  text: string;
  /** The viewer the banner is about; empty user when none. */
  user: User;
  /** How long TikTok shows it (unit as TikTok sends it). */
  duration: number;
}

export interface SuperFanData extends EventMeta {
  /** join: became a super fan; box: sent a super fan treasure box; notice: other super fan banners. */
  kind: 'join' | 'box' | 'notice';
  user: User;
  textKey: string;
  text: string;
  /** For a box: its envelope id and diamonds; '' and 0 otherwise. */
  envelopeId: string;
  diamondCount: number;
}

export interface UnauthorizedMemberData extends EventMeta {
  /** 1 = joined. */
  action: number;
  /** The masked name TikTok shows for a viewer who hides their identity. */
  nickname: string;
  nicknamePrefix: string;
  enterText: string;
}

export interface RoomMessageData extends EventMeta {
  /** A room or system notice, e.g. the community guidelines reminder. */
  content: string;
}

export interface LinkMicBattlePunishData extends EventMeta {
  battleId: string;
  /** 'timeUp' or 'cutShort': why the punishment phase finished. */
  reason: 'timeUp' | 'cutShort';
  /** Host who cut it short; '' when it timed out. */
  operatorUserId: string;
}

export interface LinkMicBattleItemCardData extends EventMeta {
  battleId: string;
  /** criticalStrike, smoke, extraTime, specialEffect, potion, wave, top2, top3, award, or other. */
  cardType: string;
  /** TikTok's name key of the card. */
  cardName: string;
  imageUrl: string;
  /** Who used the card (a viewer or host); empty user when not given. */
  sender: User;
  /** Host whose side used the card. */
  anchorUserId: string;
  /** How long the card's effect lasts, seconds. */
  effectSeconds: number;
  /** The text TikTok shows about it. */
  text: string;
}

export interface OecLiveShoppingData extends EventMeta {
  /** The pinned product (inferred layout, see docs/protocol.md). */
  title: string;
  price: string;
  imageUrl: string;
  productUrl: string;
  shopName: string;
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
  imDelete: ImDeleteData;
  poll: PollData;
  goalUpdate: GoalUpdateData;
  rankUpdate: RankUpdateData;
  hourlyRank: HourlyRankData;
  caption: CaptionData;
  inRoomBanner: InRoomBannerData;
  barrage: BarrageData;
  superFan: SuperFanData;
  unauthorizedMember: UnauthorizedMemberData;
  roomMessage: RoomMessageData;
  linkMicBattlePunish: LinkMicBattlePunishData;
  linkMicBattleItemCard: LinkMicBattleItemCardData;
  oecLiveShopping: OecLiveShoppingData;
  livePause: LivePauseData;
  liveUnpause: LivePauseData;
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
  'imDelete',
  'poll',
  'goalUpdate',
  'rankUpdate',
  'hourlyRank',
  'caption',
  'inRoomBanner',
  'barrage',
  'superFan',
  'unauthorizedMember',
  'roomMessage',
  'linkMicBattlePunish',
  'linkMicBattleItemCard',
  'oecLiveShopping',
  'livePause',
  'liveUnpause',
  'streamEnd',
  'unknown',
];

/** The 14 seed events every upstream maps. */
export const SEED_EVENT_NAMES: readonly CreatorEventName[] = CREATOR_EVENT_NAMES.slice(0, 14);

export function isCreatorEventName(name: string): name is CreatorEventName {
  return (CREATOR_EVENT_NAMES as readonly string[]).includes(name);
}
