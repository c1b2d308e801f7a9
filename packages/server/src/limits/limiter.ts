/**
 * Counting of what keys use, behind one interface so that the in-process implementation
 * and the cluster one (Redis) are interchangeable. A socket holds a lease until it closes;
 * in the cluster, leases also expire unless their node renews them, so a node that dies
 * stops counting without anyone decrementing.
 *
 * Every count belongs to an API key: a scoped token's sockets and connects count against
 * the key that minted it, and the token's own socket limit can only narrow the key's.
 */

export interface SocketLease {
  /** Frees the slot at once. */
  release(): Promise<void>;
}

/** A scoped token's own, narrower socket limit. */
export interface TokenLimit {
  id: string;
  maxSockets: number;
}

export interface AdmitRequest {
  /** The API key id whose slots these are, also for a socket opened with one of its tokens. */
  owner: string;
  /** Set when the socket is opened with a scoped token. */
  token: TokenLimit | undefined;
  /** A single-creator socket's creator, whose slot the socket holds; undefined for a roster socket (see holdCreator). */
  uniqueId: string | undefined;
  maxSockets: number;
  maxCreators: number;
  connectsPerHour: number;
  /** False for a resume within the grace period: it does not consume a connect. */
  countConnect: boolean;
  /**
   * A creator keeps its slot this long after the owner's last socket on it closed: the
   * hub keeps the upstream open that long, so a key cannot hold more upstreams than its
   * tier's creators by cycling through them.
   */
  creatorLingerMs: number;
}

/** A creator slot for one creator of a roster socket, held while it is on the roster. */
export interface CreatorHoldRequest {
  owner: string;
  uniqueId: string;
  maxCreators: number;
  creatorLingerMs: number;
}

export type LimitName = 'sockets' | 'tokenSockets' | 'connects' | 'creators';

export type Admission = { ok: true; lease: SocketLease } | { ok: false; limit: LimitName; retryAfterS: number };

export type CreatorAdmission = { ok: true; lease: SocketLease } | { ok: false; limit: 'creators'; retryAfterS: number };

export type MintAdmission = { ok: true } | { ok: false; retryAfterS: number };

export interface Usage {
  sockets: number;
  /** Creators holding a slot: watched now, or closed within the linger. */
  creators: number;
  connectsInWindow: number;
  /** When the oldest connect in the window leaves it (ms since epoch); undefined when none. */
  connectsResetAt: number | undefined;
}

export interface Limiter {
  admit(request: AdmitRequest): Promise<Admission>;
  /**
   * A creator slot of the key, apart from any socket's (a roster holds one per creator):
   * refused when the key already holds its tier's creators and this is not one of them.
   */
  holdCreator(request: CreatorHoldRequest): Promise<CreatorAdmission>;
  /** Counts one scoped-token mint of the key; refused beyond `perWindow` in TOKEN_MINT_WINDOW_MS. */
  mintToken(owner: string, perWindow: number): Promise<MintAdmission>;
  usage(owner: string): Promise<Usage>;
  close(): Promise<void>;
}

/** Whole seconds until `at`, at least 1. */
export const secondsUntil = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 1000));
