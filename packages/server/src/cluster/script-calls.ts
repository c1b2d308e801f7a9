import type { CreatorKeys } from './keys.js';
import type { ClusterRedis } from './redis-connection.js';

/** Typed calls of the Lua scripts (scripts.ts): named fields instead of positional ARGV. */

export interface AppendCall {
  keys: CreatorKeys;
  /** The owner's lease token: the append is fenced by it. */
  token: string;
  epochIfNew: string;
  msgId: string;
  event: string;
  data: string;
  maxEvents: number;
  maxIds: number;
  ttlMs: number;
  cursor: string;
  internalExt: string;
}

/** The appended event's position; 'duplicate' for a msgId the log holds, 'not-owner' when fenced out. */
export type AppendResult = { seq: number; epoch: string } | 'duplicate' | 'not-owner';

export async function appendEvent(redis: ClusterRedis, c: AppendCall): Promise<AppendResult> {
  const { keys } = c;
  const [seq, epoch] = await redis.ttAppend(
    keys.meta,
    keys.log,
    keys.ids,
    keys.owner,
    c.token,
    c.epochIfNew,
    c.msgId,
    c.event,
    c.data,
    c.maxEvents,
    c.maxIds,
    keys.channel,
    c.ttlMs,
    c.cursor,
    c.internalExt,
  );
  if (Number(seq) === -1) return 'not-owner';
  if (Number(seq) === 0) return 'duplicate';
  return { seq: Number(seq), epoch: String(epoch) };
}

/** Restarts the log under `epoch`; false when the token does not own the upstream. */
export async function resetLog(redis: ClusterRedis, keys: CreatorKeys, token: string, epoch: string, ttlMs: number): Promise<boolean> {
  return (await redis.ttReset(keys.meta, keys.log, keys.ids, keys.owner, token, epoch, ttlMs)) === 1;
}

/** The log's epoch (created when it has none) and head seq. */
export async function ensureEpoch(
  redis: ClusterRedis,
  keys: CreatorKeys,
  epochIfNew: string,
  ttlMs: number,
): Promise<{ epoch: string; head: number }> {
  const [epoch, head] = await redis.ttEnsureEpoch(keys.meta, epochIfNew, ttlMs);
  return { epoch, head: Number(head) };
}

/** Publishes a lifecycle notice and records fields in meta, if the token owns the upstream. */
export async function publishNotice(
  redis: ClusterRedis,
  keys: CreatorKeys,
  token: string,
  message: string,
  fields: Record<string, string>,
): Promise<boolean> {
  return (await redis.ttNotice(keys.meta, keys.owner, token, keys.channel, message, ...Object.entries(fields).flat())) === 1;
}

export interface LimiterKeys {
  sockets: string;
  connects: string;
  creators: string;
  holds: string;
}

export interface AdmitCall {
  keys: LimiterKeys;
  now: number;
  leaseTtlMs: number;
  /** "leaseId|tokenId|uniqueId" */
  member: string;
  maxSockets: number;
  maxCreators: number;
  /** -1 for unlimited. */
  connectsPerHour: number;
  countConnect: boolean;
  windowMs: number;
  connectMember: string;
  /** '' for a roster socket. */
  uniqueId: string;
  /** '' for the key itself. */
  tokenId: string;
  tokenMaxSockets: number;
}

/** 'ok', or the limit hit and the ms until a slot is due to free (0 when none is). */
export async function admit(redis: ClusterRedis, c: AdmitCall): Promise<{ result: string; retryMs: number }> {
  const [result, retryMs] = await redis.ttAdmit(
    c.keys.sockets,
    c.keys.connects,
    c.keys.creators,
    c.keys.holds,
    c.now,
    c.leaseTtlMs,
    c.member,
    c.maxSockets,
    c.maxCreators,
    c.connectsPerHour,
    c.countConnect ? 1 : 0,
    c.windowMs,
    c.connectMember,
    c.uniqueId,
    c.tokenId,
    c.tokenMaxSockets,
  );
  return { result, retryMs: Number(retryMs) };
}

export interface HoldCreatorCall {
  keys: LimiterKeys;
  now: number;
  leaseTtlMs: number;
  /** "holdId|uniqueId" */
  member: string;
  maxCreators: number;
  uniqueId: string;
}

/** 'ok', or 'creators' and the ms until a slot is due to free (0 when none is). */
export async function holdCreator(redis: ClusterRedis, c: HoldCreatorCall): Promise<{ result: string; retryMs: number }> {
  const { keys } = c;
  const [result, retryMs] = await redis.ttHoldCreator(
    keys.sockets,
    keys.connects,
    keys.creators,
    keys.holds,
    c.now,
    c.leaseTtlMs,
    c.member,
    c.maxCreators,
    c.uniqueId,
  );
  return { result, retryMs: Number(retryMs) };
}
