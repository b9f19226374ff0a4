import Redis from "ioredis";
import { sessionCache } from "../../plugins";
import { CACHE_TTL_MS } from "./kitCached";
import { fullPlugins, kitImplementation } from "./kitVariants";
import type { Implementation } from "./types";

/** The Redis server (loopback). Override with BENCH_REDIS. */
export const REDIS_URL = process.env.BENCH_REDIS ?? "redis://127.0.0.1:6379";

/**
 * "kit full" plus the session cache with its Redis tier and invalidation channel. Keys and the
 * channel carry a per-run prefix, so the run never touches anyone else's keys on a shared Redis.
 */
export async function kitCachedRedis(url: string): Promise<Implementation> {
  // As the cache's docs ask: fail fast while Redis is away instead of queueing commands.
  const redis = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, connectTimeout: 2000 });
  try {
    await redis.connect();
  } catch (cause) {
    redis.disconnect();
    throw new Error(`the Redis tier needs Redis at ${REDIS_URL}: ${(cause as Error).message}`);
  }
  const full = fullPlugins();
  const cache = sessionCache({ ttlMs: CACHE_TTL_MS, max: 10_000, redis, prefix: `nak:bench:${process.pid}:`, secret: "bench-session-cache-secret-0123456789abcdef" });
  return kitImplementation("kit cached+redis", "kit full + sessionCache with the Redis tier and invalidation channel", url, [...full.plugins, cache], {
    notes: () => ({ cache: cache.stats() }),
    close: async () => {
      full.dispose();
      await redis.quit().catch(() => redis.disconnect());
    },
  });
}
