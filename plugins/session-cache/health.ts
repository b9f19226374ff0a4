import type { PluginHealth } from "../../src/plugin-api";
import type { RedisClient } from "./RedisClient";

/** ioredis states in which a command would only wait in the offline queue: report them at once. */
const NOT_CONNECTED = new Set(["reconnecting", "close", "end"]);

/**
 * The cache's Redis for `kit.health()`: one round trip of the kind the cache itself makes (EVAL,
 * which the cache needs anyway). `kit.health()` bounds the wait; a late answer is ignored.
 */
export async function redisHealth(redis: RedisClient): Promise<PluginHealth> {
  if (NOT_CONNECTED.has(redis.status)) return { service: "redis", state: "down", reason: `the Redis client is ${redis.status}` };
  try {
    await redis.eval("return 1", 0);
    return { service: "redis", state: "up" };
  } catch (error) {
    // ioredis messages name the host and port; the error's class and code say enough.
    const code = (error as { code?: unknown } | null)?.code;
    return { service: "redis", state: "down", reason: `Redis refused the probe (${typeof code === "string" ? code : error instanceof Error ? error.name : "error"})` };
  }
}
