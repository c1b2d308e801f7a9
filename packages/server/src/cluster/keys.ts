/**
 * Redis key names. The creator's name is a hash tag (`{...}`) so that every key of one
 * creator lands on one Redis Cluster slot and a Lua script may touch them together.
 */
export const creatorKeys = (uniqueId: string) => ({
  /** Hash: epoch, seq (head), status, room, cursor, internalExt, closeCode, closeReason, errorCode. */
  meta: `tt:{${uniqueId}}:meta`,
  /** Stream of events with explicit ids `seq-0`. */
  log: `tt:{${uniqueId}}:log`,
  /** Sorted set msgId -> seq, the recent msgIds, so a new owner's resent messages are dropped. */
  ids: `tt:{${uniqueId}}:ids`,
  /** String: the token of the node that owns the upstream. */
  owner: `tt:{${uniqueId}}:owner`,
  /** Sorted set nodeId -> expiry: nodes with subscribers. */
  watchers: `tt:{${uniqueId}}:watchers`,
  /** Pub/sub channel of appended events and lifecycle notices. */
  channel: `tt:{${uniqueId}}:events`,
});

export type CreatorKeys = ReturnType<typeof creatorKeys>;

export const limiterKeys = (owner: string) => ({
  sockets: `tt:limit:{${owner}}:sockets`,
  connects: `tt:limit:{${owner}}:connects`,
  /** Sorted set uniqueId -> when its slot frees: creators within the linger after their last socket. */
  creators: `tt:limit:{${owner}}:creators`,
  /** Sorted set "holdId|uniqueId" -> expiry: the creators of the key's roster sockets. */
  holds: `tt:limit:{${owner}}:holds`,
  /** Counter of scoped tokens minted in the current window. */
  mints: `tt:limit:{${owner}}:mints`,
});

export const sessionKey = (id: string) => `tt:session:${id}`;

/** The channel prefix every node subscribes to by pattern. */
export const CHANNEL_PATTERN = 'tt:{*}:events';

/** A creator's live checks: the lease of the node checking it, its latest result, and the channel results go out on. */
export const liveCheckKeys = (uniqueId: string) => ({
  lease: `tt:{${uniqueId}}:live-lease`,
  latest: `tt:{${uniqueId}}:live`,
  channel: `tt:{${uniqueId}}:live-results`,
});

/** The cluster's budget of live checks toward TikTok (the sign budget's script, its own keys). */
export const liveCheckBudgetKeys = {
  starts: 'tt:{live-checks}:starts',
  paused: 'tt:{live-checks}:paused',
};
