import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/**
 * The Lua scripts of `RedisSessionStore`. A script runs atomically on its Redis node: nothing
 * interleaves between its reads and writes, which is what makes the limit, touch throttling and
 * rotation race-free across processes.
 *
 * Redis Cluster: every script touches the keys of ONE user only. KEYS[1] is always one of that
 * user's keys (`P:{U}:…`), and the other keys a script builds (records of the user's sessions,
 * tombstones) are derived from KEYS[1] by replacing its suffix — so they carry the same `{U}`
 * hash tag and live in the same slot as the declared keys, the node ioredis routes the call to.
 * (Redis Cluster refuses a script that reaches a key of another node; the spec runs on a real
 * 3-master cluster when REDIS_CLUSTER_NODES is set.) Keys of other slots — the global `hash:`
 * and `id:` pointers — are never touched by a script: the store writes them in a separate step,
 * ordered so that a pointer without its record is harmless (see `RedisSessionLookups`).
 *
 * Snapshots (standalone Redis only): every script that changes a record also writes the whole
 * record, as one JSON string, to `P:snap:<current token hash>` with the record's TTL, and deletes
 * the snapshot of a hash that stopped being current. A script is atomic, so the snapshot equals
 * the record at every instant and validation is one GET. Cluster refuses a script that reaches
 * another slot, so each script has two builds, and the Cluster build keeps no snapshots.
 *
 * Times arrive as epoch-ms strings from the caller's clock and are stored as given (Lua's
 * `tostring` would print large numbers in exponent form); TTLs arrive precomputed in ms.
 */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

/** One script, built for standalone Redis (keeps snapshots) and for Redis Cluster (does not). */
export interface SessionScript {
  readonly standalone: LuaScript;
  readonly cluster: LuaScript;
}

/** The build of `script` that `client` can run. */
export function buildFor(script: SessionScript, client: Redis | Cluster): LuaScript {
  return client.isCluster ? script.cluster : script.standalone;
}

function compile(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

function script(body: string): SessionScript {
  return {
    standalone: compile(`local SNAPSHOTS = true${PRELUDE}${body}`),
    cluster: compile(`local SNAPSHOTS = false${PRELUDE}${body}`),
  };
}

const PRELUDE = `
-- "…:ids", "…:rot" and "…:s:<id>" share the "P:{U}:" start: the user's slot. The prefix P
-- holds no brace, so it ends at the first one.
local base = string.match(KEYS[1], '^(.*}:)')
local prefix = string.match(KEYS[1], '^([^{]*):{')
local function rec(member) return base .. 's:' .. member end
-- The record (as HGETALL's flat reply, read here if not given) to its snapshot, same TTL.
local function snapshot(key, flat)
  if not SNAPSHOTS then return end
  flat = flat or redis.call('HGETALL', key)
  if #flat == 0 then return end
  local fields = {}
  for i = 1, #flat, 2 do fields[flat[i]] = flat[i + 1] end
  local ttl = redis.call('PTTL', key)
  if ttl <= 0 then ttl = 1000 end -- never the case: every record has a TTL
  redis.call('SET', prefix .. ':snap:' .. fields.tokenHash, cjson.encode(fields), 'PX', ttl)
end
local function unsnapshot(hashHex)
  if SNAPSHOTS then redis.call('DEL', prefix .. ':snap:' .. hashHex) end
end
-- Restates isLive (policy/session.policy.ts); the conformance suite checks it at the edges.
local function live(key, now)
  local f = redis.call('HMGET', key, 'endedAt', 'idleExpiresAt', 'absoluteExpiresAt')
  return f[2] ~= false and f[1] == false and tonumber(f[2]) > now and tonumber(f[3]) > now
end
-- An index lives as long as its longest-lived entry.
local function extend(key, ttl)
  if redis.call('PTTL', key) < tonumber(ttl) then redis.call('PEXPIRE', key, ttl) end
end
local function finish(key, now, reason, purgeAfter, ttl)
  redis.call('HSET', key, 'endedAt', now, 'endReason', reason, 'purgeAfter', purgeAfter)
  redis.call('PEXPIRE', key, ttl)
  local flat = redis.call('HGETALL', key)
  snapshot(key, flat)
  return flat
end
`;

/**
 * KEYS: index, new record. ARGV: now, max ('' = no limit), strategy, evictedPurgeAfter,
 * evictedTtl, recordTtl, createdAt, member, authenticatedSince ('' = unchecked), field/value
 * pairs… Returns {1, liveCount, evictedHash…}, {0, liveCount} when rejected by the limit, or {2}
 * when the user's revocation watermark is at or after authenticatedSince.
 * Check, count, evict and insert in one script: there is no moment where two creates both see
 * room, nor where a revocation of the user slips between the check and the insert.
 */
export const CREATE = script(`
local now = tonumber(ARGV[1])
local watermark = redis.call('GET', base .. 'revoked')
if ARGV[9] ~= '' and watermark and tonumber(watermark) >= tonumber(ARGV[9]) then return {2} end
local alive = {}
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local k = rec(m)
  if redis.call('EXISTS', k) == 0 then redis.call('ZREM', KEYS[1], m) -- gone by TTL
  elseif live(k, now) then alive[#alive + 1] = m end
end
local evicted = {}
if ARGV[2] ~= '' and #alive >= tonumber(ARGV[2]) then
  if ARGV[3] == 'reject' then return {0, #alive} end
  local field = ARGV[3] == 'evict-oldest' and 'createdAt' or 'lastSeenAt'
  local c = {}
  for i, m in ipairs(alive) do
    local f = redis.call('HMGET', rec(m), field, 'id')
    c[i] = {m = m, t = tonumber(f[1]), id = f[2]}
  end
  table.sort(c, function(a, b) if a.t ~= b.t then return a.t < b.t end return a.id < b.id end)
  for i = 1, #alive - tonumber(ARGV[2]) + 1 do
    evicted[i] = finish(rec(c[i].m), ARGV[1], 'limit', ARGV[4], ARGV[5])
  end
  extend(KEYS[1], ARGV[5])
end
redis.call('HSET', KEYS[2], unpack(ARGV, 10))
redis.call('PEXPIRE', KEYS[2], ARGV[6])
snapshot(KEYS[2])
redis.call('ZADD', KEYS[1], ARGV[7], ARGV[8])
extend(KEYS[1], ARGV[6])
return {1, #alive, unpack(evicted)}
`);

/** KEYS: index, record. ARGV: now, notAfter, lastSeenAt, idleExpiresAt. Returns 1 if written. */
export const TOUCH = script(`
if not live(KEYS[2], tonumber(ARGV[1])) then return 0 end
-- Of a burst of requests only the first passes: the others see its lastSeenAt.
if tonumber(redis.call('HGET', KEYS[2], 'lastSeenAt')) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[2], 'lastSeenAt', ARGV[3], 'idleExpiresAt', ARGV[4])
snapshot(KEYS[2])
return 1
`);

/**
 * KEYS: tombstone index, record. ARGV: now, expectedGeneration ('' = any), newHash, newCsrf,
 * reauthenticated ('1'/'0'), graceUntil ('' = none), tombstonePurgeAfter, tombstoneTtl.
 * Returns {oldHash, recordHash} or nil. The generation check, the tombstone and the swap are one
 * step, so of two racing rotations one wins, and the old token is never momentarily unknown.
 */
export const ROTATE = script(`
if not live(KEYS[2], tonumber(ARGV[1])) then return false end
if ARGV[2] ~= '' and redis.call('HGET', KEYS[2], 'generation') ~= ARGV[2] then return false end
local f = redis.call('HMGET', KEYS[2], 'tokenHash', 'id', 'userId')
local tomb = base .. 'r:' .. f[1]
redis.call('HSET', tomb, 'sessionId', f[2], 'userId', f[3], 'purgeAfter', ARGV[7])
if ARGV[6] ~= '' then redis.call('HSET', tomb, 'graceUntil', ARGV[6]) end
redis.call('PEXPIRE', tomb, ARGV[8])
redis.call('ZADD', KEYS[1], ARGV[7], f[1])
extend(KEYS[1], ARGV[8])
redis.call('HSET', KEYS[2], 'tokenHash', ARGV[3], 'csrfToken', ARGV[4], 'rotatedAt', ARGV[1])
redis.call('HINCRBY', KEYS[2], 'generation', 1)
if ARGV[5] == '1' then redis.call('HSET', KEYS[2], 'authenticatedAt', ARGV[1]) end
unsnapshot(f[1])
local flat = redis.call('HGETALL', KEYS[2])
snapshot(KEYS[2], flat)
return {f[1], flat}
`);

/**
 * KEYS: index, record. ARGV: now, reason, purgeAfter, ttl. Returns the ended hash or nil.
 * Never ends twice; an expiry reason may end a session whose expiry has passed (recording it),
 * any other reason only a live one. Check and write in one step: one caller gets the record.
 */
export const END = script(`
local f = redis.call('HMGET', KEYS[2], 'id', 'endedAt')
if f[1] == false or f[2] ~= false then return false end
local expiry = ARGV[2] == 'idle' or ARGV[2] == 'absolute'
if not expiry and not live(KEYS[2], tonumber(ARGV[1])) then return false end
extend(KEYS[1], ARGV[4])
return finish(KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
`);

/**
 * KEYS: index. ARGV: now, reason, purgeAfter, ttl, exceptMember, watermark ('' = none),
 * watermarkTtl. Returns the ended hashes. The watermark (never moved back) is written in the same
 * step as the ends, in the user's slot, where CREATE reads it.
 */
export const END_USER = script(`
if ARGV[6] ~= '' then
  local key = base .. 'revoked'
  local previous = redis.call('GET', key)
  if not previous or tonumber(previous) < tonumber(ARGV[6]) then redis.call('SET', key, ARGV[6]) end
  extend(key, ARGV[7])
end
local ended = {}
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if m ~= ARGV[5] and live(rec(m), tonumber(ARGV[1])) then
    ended[#ended + 1] = finish(rec(m), ARGV[1], ARGV[2], ARGV[3], ARGV[4])
  end
end
if #ended > 0 then extend(KEYS[1], ARGV[4]) end
return ended
`);

/** KEYS: index, record. ARGV: now, data JSON. Returns the updated hash or nil. */
/** KEYS: -, record. ARGV: now, ip. The record, or false when it is not live. */
export const RECORD_SIGHTING = script(`
if not live(KEYS[2], tonumber(ARGV[1])) then return false end
redis.call('HSET', KEYS[2], 'lastIp', ARGV[2], 'lastIpAt', ARGV[1])
local flat = redis.call('HGETALL', KEYS[2])
snapshot(KEYS[2], flat)
return flat
`);

/** KEYS: -, record. ARGV: now, boundKey. The record as it now stands, or false (not live or bound). */
export const BIND_KEY = script(`
if not live(KEYS[2], tonumber(ARGV[1])) then return false end
if redis.call('HSETNX', KEYS[2], 'boundKey', ARGV[2]) == 0 then return false end
local flat = redis.call('HGETALL', KEYS[2])
snapshot(KEYS[2], flat)
return flat
`);

export const UPDATE_DATA = script(`
if not live(KEYS[2], tonumber(ARGV[1])) then return false end
redis.call('HSET', KEYS[2], 'data', ARGV[2])
local flat = redis.call('HGETALL', KEYS[2])
snapshot(KEYS[2], flat)
return flat
`);

/** KEYS: index. ARGV: now, countOnly ('1'/'0'). The live hashes, or their count. */
export const LIST = script(`
local out = {}
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if live(rec(m), tonumber(ARGV[1])) then out[#out + 1] = redis.call('HGETALL', rec(m)) end
end
if ARGV[2] == '1' then return #out end
return out
`);

/**
 * KEYS: index, tombstone index. ARGV: now, limit. Deletes records and tombstones whose
 * purgeAfter passed by the caller's clock and drops index entries whose key already expired,
 * at most `limit` in all. Returns {removed, {member, tokenHash…}, {tombstoneHash…}}: the
 * store then deletes their lookups, which live in other slots.
 */
export const SWEEP = script(`
local now, limit, n, gone, tombs = tonumber(ARGV[1]), tonumber(ARGV[2]), 0, {}, {}
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if n >= limit then break end
  local f = redis.call('HMGET', rec(m), 'purgeAfter', 'tokenHash')
  if f[1] == false then redis.call('ZREM', KEYS[1], m); n = n + 1
  elseif tonumber(f[1]) <= now then
    redis.call('DEL', rec(m)); redis.call('ZREM', KEYS[1], m); n = n + 1
    unsnapshot(f[2])
    gone[#gone + 1] = m; gone[#gone + 1] = f[2]
  end
end
if n < limit then
  tombs = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, limit - n)
  for _, h in ipairs(tombs) do redis.call('DEL', base .. 'r:' .. h); redis.call('ZREM', KEYS[2], h) end
  n = n + #tombs
end
return {n, gone, tombs}
`);

/**
 * KEYS: the proof's key. ARGV: now, expiresAt, ttl. Returns 1 when claimed, 0 when an unexpired
 * claim holds it. Expiry compares the caller's clock, like every session time; the TTL only lets
 * Redis forget the key afterwards. One key, so one slot: no session prelude needed.
 */
export const CLAIM_PROOF: LuaScript = compile(`
local held = redis.call('GET', KEYS[1])
if held and tonumber(held) > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`);
