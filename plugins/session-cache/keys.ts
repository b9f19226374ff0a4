import { createHash } from "node:crypto";

/**
 * How a session token is named everywhere outside the caller's own request: the in-process tier,
 * the Redis keys and the invalidation messages all use the token's SHA-256, never the token
 * itself, so a Redis dump or a `MONITOR` of the channel holds no live session.
 */
export function tokenId(sessionToken: string): string {
  return createHash("sha256").update(sessionToken).digest("hex");
}
