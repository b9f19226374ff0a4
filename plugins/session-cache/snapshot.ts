import type { SessionAndUser } from "../../src/plugin-api";

/**
 * The in-process tier's copy of a cached `{session, user}`: two flat records (their Dates the
 * cache's own), copied out with two object spreads and a new Date per Date field per hit. That is what a JSON decode would
 * give (see codec.ts), at a tenth of its cost: a cache hit no longer parses a string.
 *
 * Only for values JSON would round-trip as they are: plain records of strings, booleans, null,
 * finite numbers and Dates. Any other shape (a nested object, an array, NaN, a class instance
 * with its own `toJSON`...) stays in its JSON form. The records are the cache's own: never handed out.
 */
export interface Snapshot {
  /** The session with an empty token (the reader puts in the one it presented). */
  readonly session: Readonly<Record<string, unknown>>;
  readonly user: Readonly<Record<string, unknown>>;
  /** Which fields hold a Date. */
  readonly sessionDates: readonly string[];
  readonly userDates: readonly string[];
}

interface Flat {
  fields: Record<string, unknown>;
  dates: readonly string[];
}

/** A snapshot of `value`, or undefined when it has a shape only the JSON form holds faithfully. */
export function snapshot(value: SessionAndUser): Snapshot | undefined {
  const session = flat(value.session, SESSION_TOKEN);
  const user = session && flat(value.user, undefined);
  return user ? { session: session!.fields, user: user.fields, sessionDates: session!.dates, userDates: user.dates } : undefined;
}

/**
 * A fresh `{session, user}` for one caller, with the token it presented. Only fields the copy
 * already has are written (the token's is in the snapshot, empty): adding a property to a spread
 * copy makes V8 build a new hidden class each time, about ten times the cost of the copy.
 */
export function restore(snap: Snapshot, sessionToken: string): SessionAndUser {
  const session: Record<string, unknown> = { ...snap.session };
  session.sessionToken = sessionToken;
  for (let i = 0; i < snap.sessionDates.length; i++) session[snap.sessionDates[i]!] = new Date((session[snap.sessionDates[i]!] as Date).getTime());
  const user: Record<string, unknown> = { ...snap.user };
  for (let i = 0; i < snap.userDates.length; i++) user[snap.userDates[i]!] = new Date((user[snap.userDates[i]!] as Date).getTime());
  return { session, user } as unknown as SessionAndUser;
}

const SESSION_TOKEN = "sessionToken";

/** `blank`: the field kept empty, in its place (or last when the record has none). */
function flat(record: unknown, blank: string | undefined): Flat | undefined {
  if (record === null || typeof record !== "object") return undefined;
  const proto = Object.getPrototypeOf(record);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const source = record as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  let dates: string[] | undefined;
  for (const key of Object.keys(source)) {
    if (key === blank) {
      fields[key] = "";
      continue;
    }
    // `__proto__` would set the record's prototype; an own `toJSON` changes what JSON writes.
    if (key === "__proto__" || key === "toJSON") return undefined;
    const value = source[key];
    switch (typeof value) {
      case "string":
      case "boolean":
        fields[key] = value;
        break;
      case "number":
        // JSON turns NaN and the infinities into null and -0 into 0: left to the JSON form.
        if (!Number.isFinite(value) || Object.is(value, -0)) return undefined;
        fields[key] = value;
        break;
      case "undefined":
      case "function":
      case "symbol":
        break; // JSON leaves these out, and so does the snapshot
      default:
        if (value === null) fields[key] = null;
        else if (value instanceof Date) {
          fields[key] = new Date(value.getTime());
          (dates ??= []).push(key);
        } else return undefined;
    }
  }
  if (blank !== undefined && !(blank in fields)) fields[blank] = "";
  return { fields, dates: shared(dates) };
}

/** Most entries have the same Date fields: one array per list of names (bounded). */
const dateLists = new Map<string, readonly string[]>();
const NONE: readonly string[] = Object.freeze([]);

function shared(dates: string[] | undefined): readonly string[] {
  if (!dates) return NONE;
  const name = dates.join("\u0000");
  const known = dateLists.get(name);
  if (known) return known;
  if (dateLists.size < 64) dateLists.set(name, Object.freeze(dates));
  return dates;
}
