import type { SessionAndUser } from "../../src/plugin-api";

/**
 * A cached `{session, user}` as a JSON string: what both tiers hold. A string is compact, cannot be
 * mutated by a caller, and every hit decodes a fresh object.
 *
 * - The session token is left out (the reader knows the token it presented), so cached values in
 *   Redis hold no live token.
 * - Dates, including custom user columns, travel as `{"$date": ms}` and come back as `Date`s.
 */
const DATE_TAG = "$date";

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? { [DATE_TAG]: raw.getTime() } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const ms = record[DATE_TAG];
    if ((typeof ms === "number" || ms === null) && Object.keys(record).length === 1) return new Date(ms ?? Number.NaN);
  }
  return value;
}

/** The string to cache, or undefined when the value cannot round-trip through JSON (e.g. a BigInt column). */
export function encode(value: SessionAndUser): string | undefined {
  try {
    return JSON.stringify({ session: { ...value.session, sessionToken: undefined }, user: value.user }, replacer);
  } catch {
    return undefined;
  }
}

/** A fresh object for one caller, with the token it presented put back. */
export function decode(json: string, sessionToken: string): SessionAndUser {
  const value = JSON.parse(json, reviver) as SessionAndUser;
  value.session = { ...value.session, sessionToken };
  return value;
}
