import { hash } from "node:crypto";

/**
 * Lookup keys folded into a few buckets, for creation fences per key: a write that makes a row
 * findable by a key (a new session's stored token) raises only that key's bucket, so a replica's
 * "not found" for other keys (a signed-out or unknown token) can still be believed while
 * creations it has not replayed go on. Two keys in one bucket only make a miss go to the
 * primary more often, never less.
 *
 * Only bucket numbers leave the process (in the sessionCache broadcast): 12 bits of the SHA-256
 * of the stored key, which with hashed session tokens (the default) is itself an HMAC under the
 * kit's secret; never the token. For the other keys (stores/replicaKeys `lookupKey`: user ids,
 * e-mails, provider accounts, passkey ids) the hash is not keyed: 12 bits of an e-mail's hash say
 * less than the cached user records in the same Redis (authenticated, not encrypted) show anyway.
 */
export const MISS_BUCKETS = 4096;

export function missBucket(key: string): number {
  const digest = hash("sha256", key, "buffer");
  return ((digest[0]! << 8) | digest[1]!) & (MISS_BUCKETS - 1);
}

/** True for a bucket number as `missBucket` makes them (values from the network are checked). */
export function isMissBucket(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < MISS_BUCKETS;
}
