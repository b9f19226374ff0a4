import type { AdapterAccount, AdapterAuthenticator, AdapterSession, AdapterUser, VerificationToken } from "../../types";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";

/** The tables of the in-memory store set; shared by its five stores (their `colocation`). */
export class MemoryDatabase {
  readonly users = new Map<string, AdapterUser>();
  readonly accounts = new Map<string, AdapterAccount>();
  readonly sessions = new Map<string, AdapterSession>();
  readonly tokens = new Map<string, VerificationToken>();
  readonly authenticators = new Map<string, AdapterAuthenticator>();
  /** A MemoryUserStore keeps its users here: references to users can be checked (see requireUser). */
  holdsUsers = false;
}

/** A deep-enough copy: callers never hold a reference into the tables. */
export function copy<T extends object>(row: T): T;
export function copy<T extends object>(row: T | undefined | null): T | null;
export function copy<T extends object>(row: T | undefined | null): T | null {
  if (!row) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = value instanceof Date ? new Date(value.getTime()) : value;
  return out as T;
}

/** Own enumerable keys except those that could pollute prototypes. */
export function safeFields(data: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype" || value === undefined) continue;
    out[key] = value;
  }
  return out;
}

/** The MikroORM stores' words for a unique-key violation: one CONFLICT message whichever store refused. */
export function conflict(): AdapterError {
  return new AdapterError(ErrorCode.CONFLICT, "a row with the same unique key already exists");
}

/**
 * What the MikroORM stores' foreign keys do: a session, an account or an authenticator must
 * belong to a user of the same database (NOT_FOUND, with the same message). A memory store used
 * on its own, next to users kept elsewhere (split persistence), has no users to check against.
 */
export function requireUser(db: MemoryDatabase, userId: string): void {
  if (db.holdsUsers && !db.users.has(userId)) throw new AdapterError(ErrorCode.NOT_FOUND, "the referenced user does not exist");
}

/** The composite key of an account or a verification token. */
export const keyOf = (a: string, b: string) => `${a.length}:${a}:${b}`;

/** Deletes up to `limit` rows of `table` whose `expires` is at or before `before`; returns how many. */
export function deleteExpired(table: Map<string, { expires: Date }>, before: Date, limit: number): number {
  let count = 0;
  for (const [key, row] of table) {
    if (count >= limit) break;
    if (row.expires.getTime() <= before.getTime() && table.delete(key)) count++;
  }
  return count;
}
