/**
 * The REST API's answers (`/v1/live`, `/v1/rooms`, `/v1/users`, `/v1/gifts`): shared by
 * the gateway and the SDK's REST client. The OpenAPI document at `/v1/openapi.json`
 * describes the same shapes.
 */

/** The `error.code` of every failed REST answer: stable, match on these. */
export const REST_ERROR_CODES = [
  'INVALID_PARAM',
  'INVALID_URL',
  'INVALID_JSON',
  'BODY_TOO_LARGE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'USER_NOT_FOUND',
  'NOT_LIVE',
  'METHOD_NOT_ALLOWED',
  'RATE_LIMITED',
  'TIER_LIMIT',
  'TRY_AGAIN_LATER',
  'UPSTREAM_FAILED',
  'INTERNAL_ERROR',
] as const;

export type RestErrorCode = (typeof REST_ERROR_CODES)[number];

/** Every failed REST answer: `{"error": {"code", "message"}}`. */
export interface RestErrorBody {
  error: { code: RestErrorCode; message: string };
}

/** `GET /v1/live/{uniqueId}`: room fields are null while the creator is not live. */
export interface LiveStatusAnswer {
  uniqueId: string;
  live: boolean;
  roomId: string | null;
  title: string | null;
  viewerCount: number | null;
  /** ISO 8601: when TikTok was asked (answers are reused for a few seconds). */
  checkedAt: string;
}

/** One name of `POST /v1/live/bulk`: its live state, or its own error (`uniqueId` as it was given). */
export type BulkLiveEntry = LiveStatusAnswer | ({ uniqueId: string } & RestErrorBody);

export interface RestProfile {
  userId: string;
  uniqueId: string;
  nickname: string;
  profilePictureUrl: string;
}

/** `GET /v1/users/{uniqueId}`: `roomId` only while the user is live. */
export interface UserAnswer extends RestProfile {
  roomId?: string;
}

export interface StreamUrlAnswer {
  format: 'flv' | 'hls';
  /** TikTok's name of the quality (FULL_HD1, HD1, SD1...), `default` when it names none. */
  quality: string;
  url: string;
}

/** `GET /v1/rooms/{uniqueId}`: a live creator's room. */
export interface RoomAnswer {
  roomId: string;
  uniqueId: string;
  title: string;
  /** ISO 8601, null when TikTok does not say. */
  startTime: string | null;
  viewerCount: number;
  likeCount: number;
  owner: RestProfile;
  streamUrls: StreamUrlAnswer[];
}

export interface GiftAnswer {
  id: number;
  name: string;
  diamondCount: number;
  imageUrl: string;
  type: number;
}

/** `GET /v1/gifts[?region=XX]`. */
export interface GiftCatalogueAnswer {
  region: string | null;
  gifts: GiftAnswer[];
}
