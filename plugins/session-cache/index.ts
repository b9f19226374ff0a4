/**
 * sessionCache: answers `getSessionAndUser` (and so the v3 `getSession`) from memory, and from a
 * shared Redis tier when one is given, without ever serving a signed-out session.
 *
 * - In-process tier: `lru-cache`, at most `max` entries (about 800 bytes each for a typical
 *   session and user, see README.md), each living at most `ttlMs` and never past the session's
 *   `expires`.
 *   Concurrent misses for one token share one database query. Optional negative cache
 *   (`negativeTtlMs`), dropped by `createSession` for that token.
 * - Invalidation after every write that can change what a session lookup returns (`updateSession`,
 *   `deleteSession`, `deleteSessionsByUserId` (all the user's sessions), `updateUser`, `deleteUser`, `unlinkAccount`, and `createSession` for the
 *   negative cache), guarded against reads that started before the write and finish after it.
 * - Redis tier (`redis`: an ioredis client): values keyed by the token's SHA-256, invalidations
 *   broadcast on a pub/sub channel and confirmed by every instance before the write returns.
 * - Fails closed: while Redis or the subscription cannot be trusted, lookups bypass the cache and
 *   read the database; the in-process tier is cleared before caching resumes. Writes keep working.
 *
 * Without `redis` the cache is per process: another instance never hears of a sign-out here, so a
 * deployment with several instances needs `redis` (or a `ttlMs` it can accept as staleness).
 */
import { PluginOrder, TRANSLATES_ERRORS, type AdapterPlugin, type OperationName } from "../../src/plugin-api";
import { resolveOptions, type SessionCacheOptions } from "./options";
import { redisHealth } from "./health";
import { SessionCache, type SessionCacheStats } from "./SessionCache";

export type { SessionCacheOptions } from "./options";
export type { SessionCacheStats } from "./SessionCache";
export type { RedisClient } from "./RedisClient";

export const SESSION_CACHE_PLUGIN_NAME = "session-cache";

/** The reads it answers and the writes it invalidates on. */
const CACHE_OPERATIONS: readonly OperationName[] = [
  "getSessionAndUser",
  "createSession",
  "updateSession",
  "deleteSession",
  "deleteSessionsByUserId",
  "updateUser",
  "deleteUser",
  "unlinkAccount",
  // With read replicas, these writes' WAL positions travel with the broadcast (they drop nothing cached).
  "createUser",
  "linkAccount",
  "createAuthenticator",
  "updateAuthenticatorCounter",
];

export interface SessionCachePlugin extends AdapterPlugin {
  /** Lookups answered from a tier, sent to the database, or bypassed; and the in-process tier's size. */
  stats(): SessionCacheStats;
  /** Drops one session on every instance: for changes made to the database outside the kit. */
  invalidateSession(sessionToken: string): Promise<void>;
  /** Drops every session of a user on every instance: for changes made outside the kit. */
  invalidateUser(userId: string): Promise<void>;
}

/** One plugin instance per kit: it owns the subscriber connection and the in-process tier. */
export function sessionCache(options: SessionCacheOptions = {}): SessionCachePlugin {
  const cache = new SessionCache(resolveOptions(options));
  const around: AdapterPlugin["around"] = (ctx, next) => cache.around(ctx, next);
  // It rejects only with AdapterErrors naming the operation: the kit adds no step of its own to a hit.
  (around as { [TRANSLATES_ERRORS]?: boolean })[TRANSLATES_ERRORS] = true;
  return {
    name: SESSION_CACHE_PLUGIN_NAME,
    order: options.order ?? PluginOrder.SESSION_CACHE,
    operations: CACHE_OPERATIONS,
    around,
    setup: (host) => cache.setup(host),
    close: () => cache.close(),
    stats: () => cache.stats(),
    invalidateSession: (sessionToken) => cache.invalidateSession(sessionToken),
    invalidateUser: (userId) => cache.invalidateUser(userId),
    // Only with a Redis tier: without one there is nothing for kit.health() to probe.
    ...(options.redis && { health: () => redisHealth(options.redis!) }),
  };
}
