/** Every default of the emulator, in one place. */

export const DEFAULT_HOST = '127.0.0.1';
/** 0 = any free port. */
export const DEFAULT_PORT = 0;
/** Events per second per live creator. */
export const DEFAULT_RATE = 20;
export const DEFAULT_SEED = 1;
/** Frames are sent at most this often; faster rates put several messages in one frame. */
export const MIN_FRAME_INTERVAL_MS = 10;
export const MAX_FRAME_INTERVAL_MS = 250;
/** Messages kept per room for replay after a reconnect with a cursor. */
export const DEFAULT_REPLAY_LIMIT = 20_000;
/** Emitted msgIds kept per room for emitted(). */
export const DEFAULT_RECORD_LIMIT = 200_000;
/** Recent messages a first fetch without a cursor returns, like TikTok's history. */
export const FIRST_FETCH_HISTORY = 6;
/** Messages per frame when replaying. */
export const REPLAY_FRAME_SIZE = 50;
/** Path of the push WebSocket, as on TikTok. */
export const PUSH_PATH = '/webcast/im/push/v2/';
export const HEARTBEAT_DURATION_MS = 10_000;
/** api-live's statusCode for a username that does not exist. */
export const API_LIVE_USER_NOT_FOUND = 19881007;
export const ROOM_STATUS_LIVE = 2;
export const ROOM_STATUS_OFFLINE = 4;
/** A room with no push connection (and no first fetch waiting for its push socket) stops after this long. */
export const ROOM_LINGER_MS = 30_000;
/**
 * Rooms held at once (twice the many-creators benchmark's); beyond it the least recently
 * used idle room is dropped. Only watched rooms grow a long history: the others linger out.
 */
export const MAX_ROOMS = 1000;
/** Distinct client addresses the fault control remembers; loopback tests use a handful. */
export const MAX_PEERS = 1024;
/** Largest body the control endpoint reads. */
export const CONTROL_MAX_BODY_BYTES = 1024;
/** Control actions of a LIVE's end message: 3 = ended by the host, 4 = suspended by TikTok. */
export const END_ACTIONS = { ended: 3, suspended: 4 } as const;
