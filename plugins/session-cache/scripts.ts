import { createHash } from "node:crypto";
import type { RedisClient } from "./RedisClient";

/**
 * The Lua scripts of the Redis tier. Each runs atomically in Redis, which is what makes the
 * cross-instance race guard work. Key layout under the prefix `p` (default `nak:sess:`), where `id`
 * is the token's SHA-256 and `e` the current epoch:
 *
 *   p epoch          counter, bumped when an instance recovers from losing Redis (older values unreachable)
 *   p seq            counter, bumped by every invalidation
 *   p v:e:id         the cached session (JSON, no token), PX = min(ttlMs, expires - now)
 *   p u:e:userId     set of ids cached for that user, PX = ttlMs (outlives its members)
 *   p tm:id          seq of the token's last invalidation, PX = mark TTL
 *   p um:userId      seq of the user's last invalidation, PX = mark TTL
 *
 * Each script declares one key, `p seq` (KEYS[1]), and computes the others from the prefix. On
 * Redis Cluster the prefix holds a hash tag (`{nak:sess:}`), so every key a script touches is in
 * the declared key's slot: the client routes the script there, and Redis runs it.
 */
class Script {
  private readonly sha: string;
  constructor(private readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  /**
   * EVALSHA, falling back to EVAL when Redis does not know the script (first run, or after a
   * restart). `args[0]` is the prefix; `p seq` is declared as the script's key.
   */
  async run(redis: RedisClient, args: (string | number)[]): Promise<unknown> {
    const key = `${args[0]}seq`;
    try {
      return await redis.evalsha(this.sha, 1, key, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith("NOSCRIPT")) throw error;
      return redis.eval(this.source, 1, key, ...args);
    }
  }
}

/** ARGV: prefix, id -> [json | nil, pttl, epoch, seq]. The reader keeps epoch and seq for its fill. */
export const READ = new Script(`
local p = ARGV[1]
local e = redis.call('GET', p .. 'epoch') or '0'
local k = p .. 'v:' .. e .. ':' .. ARGV[2]
local v = redis.call('GET', k)
local ttl = -2
if v then ttl = redis.call('PTTL', k) end
local s = redis.call('GET', p .. 'seq') or '0'
return {v, ttl, e, s}
`);

/**
 * ARGV: prefix, id, userId, epoch, seq, json, ttlMs, userSetTtlMs -> 1 stored | 0 refused.
 * Refused when the epoch moved or the token or user was invalidated after the reader read `seq`
 * (i.e. while its database read was in flight): it may hold data from before that write. Refused
 * too while the token or user is held (see INVALIDATE).
 */
export const FILL = new Script(`
local p = ARGV[1]
local e = redis.call('GET', p .. 'epoch') or '0'
if e ~= ARGV[4] then return 0 end
local s0 = tonumber(ARGV[5])
if tonumber(redis.call('GET', p .. 'tm:' .. ARGV[2]) or '0') > s0 then return 0 end
if tonumber(redis.call('GET', p .. 'um:' .. ARGV[3]) or '0') > s0 then return 0 end
if redis.call('EXISTS', p .. 'th:' .. ARGV[2], p .. 'uh:' .. ARGV[3]) > 0 then return 0 end
redis.call('SET', p .. 'v:' .. e .. ':' .. ARGV[2], ARGV[6], 'PX', ARGV[7])
local us = p .. 'u:' .. e .. ':' .. ARGV[3]
redis.call('SADD', us, ARGV[2])
-- Only ever lengthened: an instance with a shorter ttlMs must not let the index expire before
-- values another instance cached for longer (a user-wide invalidation would then miss them).
if redis.call('PTTL', us) < tonumber(ARGV[8]) then redis.call('PEXPIRE', us, ARGV[8]) end
return 1
`);

/**
 * ARGV: prefix, markTtlMs, channel, message, publish command (PUBLISH, or SPUBLISH on Cluster),
 * holdMs, nTokens, ids..., nUsers, userIds... -> subscribers reached.
 * Marks, deletes the values (and the users' index sets), and only then publishes: an instance that
 * gets the message and reads again cannot find the old value. With holdMs > 0 the tokens and users
 * are also held: no fill stores them for that long, whenever its read began. For a write whose
 * effect a later read may not see yet (a lagging replica, a statement that may still commit).
 */
export const INVALIDATE = new Script(`
local p = ARGV[1]
local s = redis.call('INCR', p .. 'seq')
local e = redis.call('GET', p .. 'epoch') or '0'
local hold = tonumber(ARGV[6])
local i = 7
local nt = tonumber(ARGV[i])
for j = 1, nt do
  local id = ARGV[i + j]
  redis.call('SET', p .. 'tm:' .. id, s, 'PX', ARGV[2])
  if hold > 0 then redis.call('SET', p .. 'th:' .. id, 1, 'PX', hold) end
  redis.call('DEL', p .. 'v:' .. e .. ':' .. id)
end
i = i + nt + 1
local nu = tonumber(ARGV[i])
for j = 1, nu do
  local u = ARGV[i + j]
  redis.call('SET', p .. 'um:' .. u, s, 'PX', ARGV[2])
  if hold > 0 then redis.call('SET', p .. 'uh:' .. u, 1, 'PX', hold) end
  local us = p .. 'u:' .. e .. ':' .. u
  for _, id in ipairs(redis.call('SMEMBERS', us)) do
    redis.call('DEL', p .. 'v:' .. e .. ':' .. id)
  end
  redis.call('DEL', us)
end
return redis.call(ARGV[5], ARGV[3], ARGV[4])
`);

/** ARGV: prefix -> the new epoch. Every value cached before becomes unreachable (and expires by its TTL). */
export const BUMP_EPOCH = new Script(`return redis.call('INCR', ARGV[1] .. 'epoch')`);
