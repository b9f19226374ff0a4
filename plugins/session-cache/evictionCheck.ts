import type { RedisClient } from "./RedisClient";

let warned = false;
/** Clients whose server answered: each is asked once. */
const asked = new WeakSet<object>();

/**
 * Warns (once per process) when the cache's Redis evicts keys once full. The cache's guarantees
 * rest on keys Redis keeps: a user's index of cached tokens (what a user-wide invalidation deletes)
 * and the invalidation marks (what stops a fill begun before a sign-out). Evicted, a
 * `deleteSessionsByUserId`, `deleteUser` or `updateUser` can miss a cached session, which is then
 * served until its TTL. With no `maxmemory` set, nothing is evicted. Called whenever the cache comes
 * to trust Redis; a server that did not answer (INFO renamed, a timeout) is asked again next time.
 */
export async function checkEviction(redis: RedisClient): Promise<void> {
  if (asked.has(redis) || typeof redis.info !== "function") return;
  asked.add(redis);
  let text: string;
  try {
    text = String(await redis.info("memory"));
  } catch {
    asked.delete(redis);
    return;
  }
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, "m").exec(text)?.[1]?.trim();
  const policy = field("maxmemory_policy");
  if (!warned && Number(field("maxmemory")) > 0 && policy !== undefined && policy !== "noeviction") {
    warned = true;
    process.emitWarning(
      `nextauth-adapter-kit: sessionCache's Redis evicts keys when full (maxmemory-policy ${policy}); an evicted index or invalidation mark can let a user-wide sign-out miss a cached session until its TTL. Give the cache a Redis with maxmemory-policy noeviction`,
      { code: "NAK_REDIS_EVICTION" },
    );
  }
}
