import { TiktoolError, type UpstreamEvent } from '@tiktool/protocol';

/**
 * The seam between the gateway and whatever produces a creator's events. The gateway
 * only ever sees these types; the WebCast client (against TikTok or the emulator)
 * implements them.
 */

export interface RoomSnapshot {
  roomId: string;
  uniqueId: string;
  title: string;
  viewerCount: number;
  likeCount: number;
}

/** Receives one creator's events, in order, each msgId at most once. */
export interface UpstreamSink {
  /** The connection being opened, before any event: a sink may read its resumePoint() from now on. */
  opening?(connection: UpstreamConnection): void;
  event(e: UpstreamEvent): void;
  /**
   * The upstream is gone for good: the stream ended (a streamEnd event was delivered
   * first) or it failed after its retries. No sink call follows.
   */
  closed(reason: UpstreamClosed): void;
  /** Transient state, for metrics and logs: the upstream dropped and is reconnecting. */
  reconnecting?(error: UpstreamError, attempt: number): void;
}

export type UpstreamClosed = { kind: 'ended' } | { kind: 'failed'; error: UpstreamError };

/** Where an upstream continues from: TikTok's cursor and internal_ext. */
export interface ResumePoint {
  cursor: string;
  internalExt: string;
}

export interface ConnectOptions {
  /**
   * Continue from this point instead of the live edge (a cluster node taking over a
   * creator from one that died). TikTok resends from the cursor; the taker drops what was
   * already delivered.
   */
  resumeFrom?: ResumePoint;
}

export interface UpstreamConnection {
  readonly room: RoomSnapshot;
  /**
   * A position to hand over to another node: resuming from it loses no event after the
   * last one given to the sink (TikTok may resend some before it; drop them by msgId).
   */
  resumePoint(): ResumePoint;
  /** Stops the upstream; no sink call follows. */
  close(): void;
}

/** What a live check found: a creator who exists is live (with its room) or not (with why). */
export interface LiveCheck {
  uniqueId: string;
  live: boolean;
  /** The room, when live. */
  room: RoomSnapshot | undefined;
  /** Why the creator is not live, in TikTok's words as far as they go. */
  reason: string | undefined;
}

/** A TikTok user as the live page and api-live show them. */
export interface UserProfile {
  userId: string;
  uniqueId: string;
  nickname: string;
  profilePictureUrl: string;
  /** Set while the user is live. */
  roomId: string | undefined;
}

/** One way to watch a room's video, where TikTok gives it. */
export interface StreamUrl {
  format: 'flv' | 'hls';
  /** TikTok's name of the quality (FULL_HD1, HD1, SD1, ...), `default` when it names none. */
  quality: string;
  url: string;
}

/** A live room in detail: what room info says beyond the snapshot a connect needs. */
export interface RoomDetails extends RoomSnapshot {
  owner: Omit<UserProfile, 'roomId'>;
  /** Unix milliseconds the LIVE started; undefined when TikTok does not say. */
  startTime: number | undefined;
  streamUrls: StreamUrl[];
}

/** One gift of TikTok's catalogue. */
export interface GiftInfo {
  id: number;
  name: string;
  diamondCount: number;
  imageUrl: string;
  type: number;
}

export interface Upstream {
  /**
   * Resolves once the creator's room is resolved and its push connection is open;
   * rejects with an UpstreamError (not found, offline, sign failures...).
   */
  connect(uniqueId: string, sink: UpstreamSink, options?: ConnectOptions): Promise<UpstreamConnection>;
  /** Whether the creator is live now, without connecting; rejects with an UpstreamError (USER_NOT_FOUND, BLOCKED...). */
  checkLive(uniqueId: string, signal?: AbortSignal): Promise<LiveCheck>;
  /** The room of a live creator; rejects with OFFLINE when not live, USER_NOT_FOUND, BLOCKED... */
  room(uniqueId: string, signal?: AbortSignal): Promise<RoomDetails>;
  /** The user's profile; rejects with USER_NOT_FOUND, BLOCKED... */
  user(uniqueId: string, signal?: AbortSignal): Promise<UserProfile>;
  /** The gift catalogue of a region (TikTok's default region when undefined). */
  gifts(region: string | undefined, signal?: AbortSignal): Promise<GiftInfo[]>;
  /** Releases everything the upstream holds (sockets, an in-process emulator). */
  close(): Promise<void>;
}

/** Why an upstream failed; the gateway decides what a client gets for each (server: errors/error-map.ts). */
export const UPSTREAM_ERROR_CODES = [
  'USER_NOT_FOUND',
  'OFFLINE',
  'SIGN_RATE_LIMITED',
  'SIGN_BUDGET',
  'SIGN_FAILED',
  'HANDSHAKE_REJECTED',
  'BLOCKED',
  'NETWORK',
  'PROTOCOL',
  'AGE_RESTRICTED',
  'CONFIG',
] as const;

export type UpstreamErrorCode = (typeof UPSTREAM_ERROR_CODES)[number];

export function isUpstreamErrorCode(code: unknown): code is UpstreamErrorCode {
  return (UPSTREAM_ERROR_CODES as readonly unknown[]).includes(code);
}

/** Errors that a retry may cure. */
const RETRYABLE: ReadonlySet<UpstreamErrorCode> = new Set([
  'SIGN_RATE_LIMITED',
  'SIGN_BUDGET',
  'NETWORK',
  'PROTOCOL',
  'HANDSHAKE_REJECTED',
]);

export class UpstreamError extends TiktoolError<UpstreamErrorCode> {
  override name = 'UpstreamError';
  readonly retryable: boolean;
  constructor(code: UpstreamErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.retryable = RETRYABLE.has(code);
  }
}
