/**
 * Lua scripts: each runs atomically in Redis, which is what makes ordering, fencing and
 * counting correct across nodes. Call them through script-calls.ts.
 */

import { eventNoticeLua } from './notice.js';

/**
 * Appends one event to a creator's log, if the caller still owns the upstream (fencing).
 * Drops a msgId already appended (a new owner resuming from an older cursor). Assigns the
 * next seq, trims the log and the msgId set, publishes the event, and refreshes TTLs.
 * KEYS: meta, log, ids, owner. ARGV: token, epochIfNew, msgId, event, dataJson, maxLen,
 * maxIds, channel, ttlMs, cursor, internalExt (the upstream position a new owner resumes
 * from). Publishes the event notice (notice.ts).
 * Returns {seq, epoch}; {0, epoch} for a duplicate; {-1} when not the owner.
 */
export const APPEND = `
if redis.call('GET', KEYS[4]) ~= ARGV[1] then return {-1} end
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[2]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
end
if redis.call('ZSCORE', KEYS[3], ARGV[3]) then return {0, epoch} end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('ZADD', KEYS[3], seq, ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[7]) + 1))
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], seq .. '-0', 'e', ARGV[4], 'd', ARGV[5])
redis.call('HSET', KEYS[1], 'cursor', ARGV[10], 'internalExt', ARGV[11])
redis.call('PUBLISH', ARGV[8], ${eventNoticeLua('epoch', 'seq', 'ARGV[4]', 'ARGV[5]')})
redis.call('PEXPIRE', KEYS[1], ARGV[9])
redis.call('PEXPIRE', KEYS[2], ARGV[9])
redis.call('PEXPIRE', KEYS[3], ARGV[9])
return {seq, epoch}
`;

/**
 * Restarts a creator's log under a new epoch, if the caller owns the upstream: after the
 * owner served events without Redis its seqs diverged from the log's.
 * KEYS: meta, log, ids, owner. ARGV: token, epoch, ttlMs. Returns 1, or 0 when not the owner.
 */
export const RESET = `
if redis.call('GET', KEYS[4]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], 'epoch', ARGV[2], 'seq', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/**
 * Makes sure a creator's log has an epoch, creating one when its history is gone.
 * KEYS: meta. ARGV: epochIfNew, ttlMs. Returns {epoch, seq}.
 */
export const ENSURE_EPOCH = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {epoch, redis.call('HGET', KEYS[1], 'seq')}
`;

/** Renews a lease if the token still holds it. KEYS: lease. ARGV: token, ttlMs. Returns 1 or 0. */
export const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** Releases a lease if the token still holds it. KEYS: lease. ARGV: token. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Publishes a lifecycle notice and records it in meta, if the caller owns the upstream.
 * KEYS: meta, owner. ARGV: token, channel, message, field1, value1, ... Returns 1 or 0.
 */
export const NOTICE = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`;

/**
 * The creators a key holds: those of its socket leases (KEYS[1], members
 * "leaseId|tokenId|uniqueId", uniqueId '' for a roster socket), of its roster holds
 * (KEYS[4], "holdId|uniqueId") and those lingering (KEYS[3], uniqueId -> until). Returns
 * the set, its size, and when the first lingering one frees (-1 when none does).
 */
const HELD_CREATORS = `
local function heldCreators(members)
  local creators, n = {}, 0
  local function add(u)
    if u ~= '' and not creators[u] then creators[u] = true; n = n + 1 end
  end
  for _, m in ipairs(members) do add(string.match(m, '^[^|]*|[^|]*|(.*)$')) end
  for _, m in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do add(string.match(m, '^[^|]*|(.*)$')) end
  local lingering = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')
  local soonest = -1
  for i = 1, #lingering, 2 do
    local u, until_ = lingering[i], tonumber(lingering[i + 1])
    if not creators[u] then
      creators[u] = true; n = n + 1
      if soonest < 0 or until_ < soonest then soonest = until_ end
    end
  end
  return creators, n, soonest
end
local function prune(now)
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
end
`;

/**
 * Admits a socket under a key's limits, counting sockets by expiring leases. A creator
 * keeps its slot in the creators set (scored by when it frees) for the linger after the
 * key's last socket (or roster hold) on it ended.
 * KEYS: sockets, connects, creators, holds. ARGV: now, leaseTtlMs, member
 * ("leaseId|tokenId|uniqueId", tokenId '' for the key itself), maxSockets, maxCreators,
 * connectsPerHour (-1 = unlimited), countConnect (1/0), windowMs, connectMember, uniqueId
 * ('' for a roster socket: its creators are held apart, HOLD_CREATOR), tokenId,
 * tokenMaxSockets.
 * Returns {'ok'} or {limitName, retryAfterMs} (0 when no slot is due to free).
 */
export const ADMIT = `${HELD_CREATORS}
local now = tonumber(ARGV[1])
prune(now)
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
if #members >= tonumber(ARGV[4]) then return {'sockets', 0} end
local ofToken = 0
for _, m in ipairs(members) do
  local t = string.match(m, '^[^|]*|([^|]*)|')
  if t ~= '' and t == ARGV[11] then ofToken = ofToken + 1 end
end
if ARGV[11] ~= '' and ofToken >= tonumber(ARGV[12]) then return {'tokenSockets', 0} end
if ARGV[10] ~= '' then
  local creators, n, soonest = heldCreators(members)
  if (not creators[ARGV[10]]) and n >= tonumber(ARGV[5]) then
    if soonest < 0 then return {'creators', 0} end
    return {'creators', soonest - now}
  end
end
local limit = tonumber(ARGV[6])
local window = tonumber(ARGV[8])
if ARGV[7] == '1' and limit >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  if redis.call('ZCARD', KEYS[2]) >= limit then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    return {'connects', tonumber(oldest[2]) + window - now}
  end
  redis.call('ZADD', KEYS[2], now, ARGV[9])
  redis.call('PEXPIRE', KEYS[2], window)
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return {'ok', 0}
`;

/**
 * Holds a creator slot for one creator of a roster socket: a lease like a socket's,
 * renewed by its node, refused when the key holds its tier's creators and not this one.
 * KEYS: sockets, connects, creators, holds (as ADMIT). ARGV: now, leaseTtlMs, member
 * ("holdId|uniqueId"), maxCreators, uniqueId.
 * Returns {'ok'} or {'creators', retryAfterMs}.
 */
export const HOLD_CREATOR = `${HELD_CREATORS}
local now = tonumber(ARGV[1])
prune(now)
local creators, n, soonest = heldCreators(redis.call('ZRANGE', KEYS[1], 0, -1))
if (not creators[ARGV[5]]) and n >= tonumber(ARGV[4]) then
  if soonest < 0 then return {'creators', 0} end
  return {'creators', soonest - now}
end
redis.call('ZADD', KEYS[4], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[2]) * 2)
return {'ok', 0}
`;
