export { TikTokLive, type ClientState } from './client.js';
export type {
  ClientEventArgs,
  ClientEventName,
  ClientListener,
  DisconnectedEvent,
  LifecycleEventMap,
  ReconnectingEvent,
  ResumedEvent,
} from './client-events.js';
export { TikTokLiveError, type TikTokLiveErrorCode } from './errors.js';
export type { ReconnectOptions, TikTokLiveOptions } from './options.js';
export type { WebSocketConstructor, WebSocketLike } from './transport.js';
export { DEFAULT_RECONNECT, DEFAULT_URL } from './defaults.js';

// The contract types users need, so that they import everything from '@tiktool/live'.
export {
  CloseCode,
  CLOSE_CODES,
  CREATOR_EVENT_NAMES,
  closeCodeInfo,
  type Army,
  type ArmyParticipant,
  type Badge,
  type BattleUser,
  type ChatData,
  type CloseCodeInfo,
  type CreatorEnvelope,
  type CreatorEventMap,
  type CreatorEventName,
  type Emote,
  type EmoteData,
  type EnvelopeData,
  type Envelope,
  type EventMap,
  type EventMeta,
  type EventName,
  type FollowData,
  type GiftData,
  type LikeData,
  type LinkMicArmiesData,
  type LinkMicBattleData,
  type LiveIntroData,
  type MemberData,
  type QuestionNewData,
  type ReconnectRule,
  type RoomInfoData,
  type RoomInfoEnvelope,
  type RoomPinData,
  type RoomUserSeqData,
  type ShareData,
  type StreamEndData,
  type SubscribeData,
  type TopViewer,
  type UnknownData,
  type User,
} from '@tiktool/protocol';
