import { LRUCache } from "lru-cache";
import type { Snapshot } from "./snapshot";

/**
 * A cached session: its `{session, user}` (a snapshot, see snapshot.ts, or the JSON form for other
 * shapes), whose user it is, and when the session expires.
 */
export interface CachedSession {
  readonly value: Snapshot | string;
  readonly userId: string;
  /** `session.expires` in ms since the epoch: the entry is never served at or after it. */
  readonly expiresAt: number;
}

/** A remembered "no such session" (the optional negative cache). */
export const ABSENT = Object.freeze({ absent: true as const });
export type LocalEntry = CachedSession | typeof ABSENT;

/**
 * The in-process tier: an LRU bounded by `max` entries, each with its own TTL, keyed by the
 * token's SHA-256, plus a userId -> token ids index so `updateUser`/`deleteUser` can drop every
 * session of a user. The index follows the LRU through `dispose`, so it never outgrows it.
 */
export class LocalTier {
  private readonly lru: LRUCache<string, LocalEntry>;
  /** userId -> its token id, or a Set when it has several (most users have one session: no Set). */
  private readonly byUser = new Map<string, string | Set<string>>();

  constructor(max: number) {
    this.lru = new LRUCache<string, LocalEntry>({
      max,
      // Per-entry TTLs are given on set; this only turns TTL tracking on.
      ttl: 1,
      updateAgeOnGet: false,
      dispose: (entry, id) => this.unindex(entry, id),
    });
  }

  get size(): number {
    return this.lru.size;
  }

  /** The live entry, or undefined. A session past its `expires` is dropped here even if its TTL has not run out. */
  get(id: string): LocalEntry | undefined {
    const entry = this.lru.get(id);
    if (entry && entry !== ABSENT && (entry as CachedSession).expiresAt <= Date.now()) {
      this.lru.delete(id);
      return undefined;
    }
    return entry;
  }

  set(id: string, entry: LocalEntry, ttlMs: number): void {
    if (!(ttlMs >= 1)) return;
    this.lru.set(id, entry, { ttl: Math.floor(ttlMs) });
    if (entry !== ABSENT) {
      const userId = (entry as CachedSession).userId;
      const ids = this.byUser.get(userId);
      if (ids === undefined || ids === id) this.byUser.set(userId, id);
      else if (typeof ids === "string") this.byUser.set(userId, new Set([ids, id]));
      else ids.add(id);
    }
  }

  delete(id: string): void {
    this.lru.delete(id);
  }

  /** Drops every cached session of a user. */
  deleteUser(userId: string): void {
    const ids = this.byUser.get(userId);
    if (ids === undefined) return;
    for (const id of typeof ids === "string" ? [ids] : [...ids]) this.lru.delete(id);
    this.byUser.delete(userId);
  }

  clear(): void {
    this.lru.clear();
    this.byUser.clear();
  }

  private unindex(entry: LocalEntry, id: string): void {
    if (entry === ABSENT) return;
    const userId = (entry as CachedSession).userId;
    const ids = this.byUser.get(userId);
    if (ids === id) this.byUser.delete(userId);
    else if (typeof ids === "object") {
      ids.delete(id);
      if (ids.size === 0) this.byUser.delete(userId);
    }
  }
}
