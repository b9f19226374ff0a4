import type { SessionAndUser } from "../../src/plugin-api";
import { decode } from "./codec";
import type { CachedSession } from "./LocalTier";
import type { RedisRead } from "./RedisTier";
import { restore, snapshot, type Snapshot } from "./snapshot";

/** `rejected`: a Redis entry was there but did not verify (forged or altered), so the database answered. */
export type CacheResult = "hit" | "miss" | "bypass" | "rejected";

/** The `cache.request` payloads, made once (a hit should allocate nothing it can avoid). */
export const REPORTS: Record<CacheResult, { operation: "getSessionAndUser"; result: CacheResult }> = {
  hit: Object.freeze({ operation: "getSessionAndUser", result: "hit" }),
  miss: Object.freeze({ operation: "getSessionAndUser", result: "miss" }),
  bypass: Object.freeze({ operation: "getSessionAndUser", result: "bypass" }),
  rejected: Object.freeze({ operation: "getSessionAndUser", result: "rejected" }),
};

/** A fresh `{session, user}` for one caller from a local entry's value. */
export function copyOut(value: Snapshot | string, sessionToken: string): SessionAndUser {
  return typeof value === "string" ? decode(value, sessionToken) : restore(value, sessionToken);
}

/** A database read: a plain miss, or one caused by a Redis entry that did not verify. */
export function missed(read: RedisRead | undefined): CacheResult {
  return read?.rejected ? "rejected" : "miss";
}

/** A value the cache can hold faithfully: a valid Date expiry and a string user id. */
export function cacheable(value: SessionAndUser): boolean {
  return value.session?.expires instanceof Date && Number.isFinite(value.session.expires.getTime()) && typeof value.user?.id === "string";
}

/** The local entry for a value read from Redis, or undefined when it does not parse. */
export function toCached(json: string): CachedSession | undefined {
  try {
    const value = decode(json, "");
    const expiresAt = value.session.expires.getTime();
    return typeof value.user?.id === "string" && Number.isFinite(expiresAt) ? { value: snapshot(value) ?? json, userId: value.user.id, expiresAt } : undefined;
  } catch {
    return undefined;
  }
}
