import { AdapterError, ErrorCode } from "../../src/plugin-api";
import { checkClusterClient } from "./clusterClientCheck";
import type { RedisClient } from "./RedisClient";
import { MIN_SECRET_BYTES, Seal } from "./seal";

export interface SessionCacheOptions {
  /** Most sessions the in-process tier holds (LRU beyond that). Default 10 000. */
  max?: number;
  /** Longest an entry is served, in ms (never past the session's `expires` either). Default 30 000. */
  ttlMs?: number;
  /** Remember "no such session" this long, in ms. Default 0 (off). */
  negativeTtlMs?: number;
  /**
   * An ioredis client for the shared tier and the invalidation channel. The cache opens one more
   * connection with `redis.duplicate()` for SUBSCRIBE and closes it in `kit.close()`; the client
   * you pass stays yours. Create it with `enableOfflineQueue: false` and a small
   * `maxRetriesPerRequest` (e.g. 1) so commands fail fast while Redis is away.
   */
  redis?: RedisClient;
  /**
   * Required with `redis` (else CONFIGURATION): at least 32 bytes of secret (e.g.
   * `openssl rand -base64 32`), from which the key that MACs every value, heartbeat and
   * confirmation in Redis is derived. An entry that does not verify is a miss, never a session,
   * so write access to Redis is not a way to sign in. Every instance sharing the Redis tier needs
   * the same secret; changing it costs one database read per cached session.
   */
  secret?: string | Buffer;
  /**
   * Prefix of every Redis key. Default `"nak:sess:"`. On Redis Cluster it is wrapped in a hash tag
   * (`{nak:sess:}`) unless it already holds one, so that every key and channel of the cache is in
   * one slot.
   */
  prefix?: string;
  /**
   * Invalidation channel. Default `${prefix}inv`. Only cache instances may subscribe to it (see
   * README). On Redis Cluster it must carry the prefix's hash tag.
   */
  channel?: string;
  /** Longest wait for one Redis command before treating Redis as down, in ms. Default 500. */
  commandTimeoutMs?: number;
  /** How long a received heartbeat lets this instance trust its subscription, in ms. Default 3 000. */
  leaseMs?: number;
  /** Heartbeat period, in ms; must be below `leaseMs`. Default `leaseMs / 3`. */
  heartbeatMs?: number;
  /** Longest a write waits for every instance to confirm an invalidation, in ms; at least `leaseMs`. Default `leaseMs + commandTimeoutMs`. */
  ackTimeoutMs?: number;
  /** Position in the onion. Default `PluginOrder.SESSION_CACHE`. */
  order?: number;
}

export type ResolvedOptions = Required<Omit<SessionCacheOptions, "redis" | "order" | "secret">> &
  Pick<SessionCacheOptions, "redis"> & {
    /** Present exactly when `redis` is. */
    seal: Seal | undefined;
    /** A Redis Cluster client: hash-tagged keys, sharded pub/sub, the slot watched. */
    cluster: boolean;
  };

/** The `{...}` hash tag of a key, as Redis Cluster reads it; undefined when it has none. */
export function hashTag(key: string): string | undefined {
  const open = key.indexOf("{");
  if (open < 0) return undefined;
  const close = key.indexOf("}", open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}

function positive(name: string, value: number, allowZero = false): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new AdapterError(ErrorCode.CONFIGURATION, `sessionCache: ${name} must be a ${allowZero ? "non-negative" : "positive"} number, got ${String(value)}`);
  }
  return value;
}

export function resolveOptions(options: SessionCacheOptions): ResolvedOptions {
  const cluster = (options.redis as { isCluster?: unknown } | undefined)?.isCluster === true;
  const given = options.prefix ?? "nak:sess:";
  // One slot for every key and channel: each script then touches one slot, and sharded pub/sub
  // puts every instance's subscription on the shard that runs the scripts.
  const prefix = cluster && hashTag(given) === undefined ? `{${given}}` : given;
  const channel = options.channel ?? `${prefix}inv`;
  if (cluster && hashTag(channel) !== hashTag(prefix)) {
    throw new AdapterError(ErrorCode.CONFIGURATION, `sessionCache: on Redis Cluster the channel must carry the prefix's hash tag {${hashTag(prefix)}}`);
  }
  const commandTimeoutMs = positive("commandTimeoutMs", options.commandTimeoutMs ?? 500);
  const leaseMs = positive("leaseMs", options.leaseMs ?? 3000);
  const heartbeatMs = positive("heartbeatMs", options.heartbeatMs ?? Math.floor(leaseMs / 3));
  const ackTimeoutMs = positive("ackTimeoutMs", options.ackTimeoutMs ?? leaseMs + commandTimeoutMs);
  if (heartbeatMs >= leaseMs) throw new AdapterError(ErrorCode.CONFIGURATION, "sessionCache: heartbeatMs must be below leaseMs");
  // A write that gives up waiting for an instance's confirmation relies on that instance's lease
  // having run out by then (see InvalidationBus): the wait must be at least a lease.
  if (ackTimeoutMs < leaseMs) throw new AdapterError(ErrorCode.CONFIGURATION, "sessionCache: ackTimeoutMs must be at least leaseMs");
  if (options.redis !== undefined && (typeof options.redis !== "object" || typeof options.redis.duplicate !== "function")) {
    throw new AdapterError(ErrorCode.CONFIGURATION, "sessionCache: redis must be an ioredis client");
  }
  const seal = options.redis ? new Seal(checkedSecret(options.secret)) : undefined;
  if (cluster) checkClusterClient(options.redis!);
  return {
    max: Math.floor(positive("max", options.max ?? 10_000)),
    ttlMs: positive("ttlMs", options.ttlMs ?? 30_000),
    negativeTtlMs: positive("negativeTtlMs", options.negativeTtlMs ?? 0, true),
    redis: options.redis,
    seal,
    prefix,
    channel,
    cluster,
    commandTimeoutMs,
    leaseMs,
    heartbeatMs,
    ackTimeoutMs,
  };
}

/** The secret, when it is long enough; the error never shows it. */
function checkedSecret(secret: unknown): string | Buffer {
  if (secret === undefined) {
    throw new AdapterError(ErrorCode.CONFIGURATION, "sessionCache: `secret` is required with `redis` (at least 32 bytes, e.g. `openssl rand -base64 32`)");
  }
  const bytes = typeof secret === "string" ? Buffer.byteLength(secret) : Buffer.isBuffer(secret) ? secret.length : -1;
  if (bytes < MIN_SECRET_BYTES) {
    throw new AdapterError(ErrorCode.CONFIGURATION, `sessionCache: secret must be a string or Buffer of at least ${MIN_SECRET_BYTES} bytes`);
  }
  return secret as string | Buffer;
}
