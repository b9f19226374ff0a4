import type Redis from "ioredis";
import { AdapterError, ErrorCode, type AdapterSession, type SessionStore } from "../../src";

/**
 * Sessions in Redis, behind the kit's `SessionStore` port (src/persistence/ports.ts).
 *
 * - `<prefix>session:<token>` holds the session as JSON; its Redis TTL is the session's `expires`,
 *   so an expired session disappears by itself (no `deleteExpired` needed: `purgeExpired` skips it).
 * - `<prefix>user:<userId>` is the set of the user's tokens, for `deleteByUserId` (deleting a user,
 *   or `kit.sessions.revoke`) and `listByUserId` (`kit.sessions.list`). It lives as long as the
 *   user's longest session.
 *
 * No `colocation`: the kit knows it cannot join sessions to users, and reads the session here and
 * the user from its own store. Needs Redis >= 7 (PEXPIREAT ... NX/GT).
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async create(session: AdapterSession): Promise<AdapterSession> {
    const ttlMs = session.expires.getTime() - Date.now();
    if (ttlMs <= 0) return session; // already expired: storing it would only delete it again
    // NX: a token is unique, as the database stores' unique constraint makes it.
    if ((await this.redis.set(this.key(session.sessionToken), encode(session), "PX", ttlMs, "NX")) !== "OK") {
      throw new AdapterError(ErrorCode.CONFLICT, "a session with this token already exists");
    }
    await this.track(session);
    return session;
  }

  async find(sessionToken: string): Promise<AdapterSession | null> {
    return decode(await this.redis.get(this.key(sessionToken)));
  }

  async update(changes: Partial<AdapterSession> & { sessionToken: string }): Promise<AdapterSession | null> {
    const current = await this.find(changes.sessionToken);
    if (!current) return null;
    const next = { ...current, ...changes };
    const ttlMs = next.expires.getTime() - Date.now();
    if (ttlMs <= 0) {
      await this.delete(next.sessionToken); // moved into the past: that is a sign-out
      return null;
    }
    // XX: only while it still exists, so an update racing a sign-out cannot bring the session back.
    if ((await this.redis.set(this.key(next.sessionToken), encode(next), "PX", ttlMs, "XX")) !== "OK") return null;
    await this.track(next);
    return next;
  }

  async delete(sessionToken: string): Promise<AdapterSession | null> {
    const session = decode(await this.redis.getdel(this.key(sessionToken)));
    if (session) await this.redis.srem(this.userKey(session.userId), sessionToken);
    return session;
  }

  /** Signs the user out everywhere, or everywhere but `except` ("sign out my other devices"). */
  async deleteByUserId(userId: string, except?: string): Promise<number> {
    const tokens = (await this.redis.smembers(this.userKey(userId))).filter((t) => t !== except);
    // DEL counts only keys that still existed: tokens of sessions that expired are not counted.
    const deleted = tokens.length > 0 ? await this.redis.del(...tokens.map((t) => this.key(t))) : 0;
    if (except === undefined) await this.redis.del(this.userKey(userId));
    else if (tokens.length > 0) await this.redis.srem(this.userKey(userId), ...tokens);
    return deleted;
  }

  /** The user's sessions (for `kit.sessions.list`); tokens whose session expired are skipped. */
  async listByUserId(userId: string): Promise<AdapterSession[]> {
    const tokens = await this.redis.smembers(this.userKey(userId));
    if (tokens.length === 0) return [];
    const values = await this.redis.mget(...tokens.map((t) => this.key(t)));
    return values.map(decode).filter((s): s is AdapterSession => s !== null);
  }

  /** Adds the token to its user's set, and keeps the set until the user's last session expires. */
  private async track(session: AdapterSession): Promise<void> {
    const key = this.userKey(session.userId);
    const until = session.expires.getTime();
    // NX sets an expiry on a new set; GT only ever extends it.
    await this.redis.multi().sadd(key, session.sessionToken).pexpireat(key, until, "NX").pexpireat(key, until, "GT").exec();
  }

  private key(sessionToken: string): string {
    return `${this.prefix}session:${sessionToken}`;
  }

  private userKey(userId: string): string {
    return `${this.prefix}user:${userId}`;
  }
}

const encode = (session: AdapterSession) => JSON.stringify(session);

function decode(json: string | null): AdapterSession | null {
  if (json === null) return null;
  const session = JSON.parse(json) as AdapterSession & { expires: string };
  return { ...session, expires: new Date(session.expires) };
}
