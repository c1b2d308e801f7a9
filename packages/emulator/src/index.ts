export { startEmulator, type Emulator, type EmulatorOptions, type EmulatorStats, type RoomStats } from './emulator-server.js';
export {
  CreatorScript,
  GIFTS,
  DISPLAY_KEY_FOLLOW,
  DISPLAY_KEY_SHARE,
  type ScriptedMessage,
  type ChosenEvent,
  type GiftInfo,
} from './creator-script.js';
export type { EmitRecord, EndAction } from './creator-room.js';
export { encodeRoomMessage, encodeFetchResult, msgFrame, controlFrame, type EmittedMessage, type FetchHead } from './encode.js';
export * as defaults from './defaults.js';
export { MISSING_PREFIX, OFFLINE_PREFIX, RoomLimitError } from './room-registry.js';
export type { CreatorState } from './control-routes.js';
export { switchCreator } from './control-client.js';
export type { BlockKind, PeerStats } from './faults.js';
export { Rng } from './rng.js';
