import type { AdapterSession, SessionAndUser } from "../../types";
import { FIND_WITH_USER_THEN, type SessionStore } from "../ports";
import { conflict, copy, requireUser, deleteExpired, safeFields, type MemoryDatabase } from "./MemoryDatabase";

export class MemorySessionStore implements SessionStore {
  constructor(private readonly db: MemoryDatabase) {}

  get colocation() {
    return this.db;
  }

  async create(session: AdapterSession) {
    if (this.db.sessions.has(session.sessionToken)) throw conflict();
    requireUser(this.db, session.userId);
    const row = safeFields(session) as unknown as AdapterSession;
    this.db.sessions.set(row.sessionToken, copy(row));
    return copy(row);
  }

  async find(sessionToken: string) {
    return copy(this.db.sessions.get(sessionToken));
  }

  async findWithUser(sessionToken: string): Promise<SessionAndUser | null> {
    return this.joined(sessionToken);
  }

  /** `findWithUser` with the caller's step in the same promise (see FIND_WITH_USER_THEN). */
  findWithUserThen<R>(sessionToken: string, onFound: (found: SessionAndUser | null) => R, onError: (error: unknown) => never): Promise<Awaited<R>> {
    let found: SessionAndUser | null;
    try {
      found = this.joined(sessionToken);
    } catch (error) {
      return Promise.reject(error).then(undefined, onError);
    }
    // As `.then(onFound, onError)` would: what `onFound` throws rejects, and is not `onError`'s.
    try {
      return Promise.resolve(onFound(found));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private joined(sessionToken: string): SessionAndUser | null {
    const session = this.db.sessions.get(sessionToken);
    const user = session && this.db.users.get(session.userId);
    return session && user ? { session: copy(session), user: copy(user) } : null;
  }

  async update(changes: Partial<AdapterSession> & { sessionToken: string }) {
    const current = this.db.sessions.get(changes.sessionToken);
    if (!current) return null;
    const next = { ...current, ...safeFields(changes) } as AdapterSession;
    this.db.sessions.set(next.sessionToken, copy(next));
    return copy(next);
  }

  async delete(sessionToken: string) {
    const row = this.db.sessions.get(sessionToken);
    this.db.sessions.delete(sessionToken);
    return copy(row);
  }

  async deleteExpired(before: Date, limit: number) {
    return deleteExpired(this.db.sessions, before, limit);
  }

  async deleteByUserId(userId: string, except?: string) {
    let count = 0;
    for (const [key, row] of this.db.sessions) if (row.userId === userId && key !== except && this.db.sessions.delete(key)) count++;
    return count;
  }

  async listByUserId(userId: string) {
    return [...this.db.sessions.values()].filter((row) => row.userId === userId).map((row) => copy(row)!);
  }
}

(MemorySessionStore.prototype.findWithUser as { [FIND_WITH_USER_THEN]?: unknown })[FIND_WITH_USER_THEN] = MemorySessionStore.prototype.findWithUserThen;
