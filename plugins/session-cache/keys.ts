import { hash } from "node:crypto";

/**
 * How a session token is named everywhere outside the caller's own request: the in-process tier,
 * the Redis keys and the invalidation messages all use the token's SHA-256, never the token
 * itself, so a Redis dump or a `MONITOR` of the channel holds no live session.
 */
export function tokenId(sessionToken: string): string {
  // One-shot hash: the same digest without a Hash object per lookup (it runs on every cache hit).
  return hash("sha256", sessionToken, "hex");
}
