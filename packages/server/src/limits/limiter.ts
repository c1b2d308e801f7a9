/**
 * Counting of what keys use, behind one interface so that the in-process implementation
 * and the cluster one (Redis) are interchangeable. A socket holds a lease until it closes;
 * in the cluster, leases also expire unless their node renews them, so a node that dies
 * stops counting without anyone decrementing.
 */

export interface SocketLease {
  /** Frees the slot at once. */
  release(): Promise<void>;
}

export interface AdmitRequest {
  /** Whose slots these are: an API key id, or a token id for scoped tokens. */
  owner: string;
  uniqueId: string;
  maxSockets: number;
  maxCreators: number;
  connectsPerHour: number;
  /** False for a resume within the grace period: it does not consume a connect. */
  countConnect: boolean;
}

export type LimitName = 'sockets' | 'connects' | 'creators';

export type Admission =
  | { ok: true; lease: SocketLease }
  | { ok: false; limit: LimitName; retryAfterS: number };

export interface Usage {
  sockets: number;
  creators: number;
  connectsInWindow: number;
  /** When the oldest connect in the window leaves it (ms since epoch); undefined when none. */
  connectsResetAt: number | undefined;
}

export interface Limiter {
  admit(request: AdmitRequest): Promise<Admission>;
  usage(owner: string): Promise<Usage>;
  close(): Promise<void>;
}

export const CONNECT_WINDOW_MS = 3_600_000;
/** Cluster mode: a socket lease lives this long unless renewed; renewed at a third of it. */
export const SOCKET_LEASE_TTL_MS = 30_000;
/** What a 4429 for sockets or creators suggests: slots free as sockets close. */
export const SOCKET_RETRY_AFTER_S = 10;
