import type {
  AccountKey,
  AdapterAccount,
  AdapterAuthenticator,
  AdapterSession,
  AdapterUser,
  NewUser,
  SessionAndUser,
  VerificationToken,
} from "../types";

/**
 * Store ports: the only way operations reach persistence. Each is bound on its own identifier
 * (`TYPES.UserStore`, ...), so users can live in PostgreSQL while sessions live elsewhere.
 *
 * Stores that can answer a cross-store question in one query (a session with its user) expose a
 * `colocation` value; operations use the joined method only when both stores share it.
 */
export interface Colocated {
  /** Stores with the same (non-undefined) value live in one database and may join each other. */
  readonly colocation?: unknown;
}

export interface UserStore extends Colocated {
  create(user: NewUser): Promise<AdapterUser>;
  findById(id: string): Promise<AdapterUser | null>;
  findByEmail(email: string): Promise<AdapterUser | null>;
  /** Applies the given fields; null when the user does not exist. */
  update(user: Partial<AdapterUser> & { id: string }): Promise<AdapterUser | null>;
  /** Removes the user and everything that belongs to it in this store's database; returns it, or null. */
  delete(id: string): Promise<AdapterUser | null>;
  /** Optional one-query lookup through the accounts table (used when colocated with the account store). */
  findByAccount?(key: AccountKey): Promise<AdapterUser | null>;
}

/** A cursor of a rewrite job: the key of the last row a batch read. */
export type RowCursor = string | number;

/**
 * The cursor of a batch that read the rows still to rewrite, wherever they are (a table keyed by
 * the value being rewritten): not a key, and nothing to resume from, since a new run finds them.
 */
export const PENDING_CURSOR = "pending";

/**
 * Given one stored row (its key included, values as stored), the columns to change, or null to
 * leave the row as it is. Runs while the batch holds its rows: keep it to CPU work.
 */
export type RowRewrite<T> = (row: T & { id: string }) => Promise<Partial<T> | null> | Partial<T> | null;

/** What one batch of a rewrite job did. */
export interface RewriteBatch {
  /** The key of the last row read (the next batch starts after it); null when no row was left. */
  next: RowCursor | null;
  /** Rows read. */
  scanned: number;
  /** Rows changed. */
  rewritten: number;
  /** Keys of rows `rewrite` changed but whose values changed since the read: left as they are. */
  missed: RowCursor[];
}

export interface AccountStore extends Colocated {
  create(account: AdapterAccount): Promise<AdapterAccount>;
  find(key: AccountKey): Promise<AdapterAccount | null>;
  delete(key: AccountKey): Promise<AdapterAccount | null>;
  /** Removes every account of a user (used when the user lives in another store). */
  deleteByUserId(userId: string): Promise<number>;
  /**
   * Reads at most `limit` accounts after `after` (by key, ascending; rows another transaction holds
   * are skipped where the database can), and writes what `rewrite` returns for each, by key, only
   * where the old values are unchanged. Optional: `kit.reencryptAccountTokens()` needs it.
   */
  rewriteBatch?(after: RowCursor | undefined, limit: number, rewrite: RowRewrite<AdapterAccount>): Promise<RewriteBatch>;
}

export interface SessionStore extends Colocated {
  create(session: AdapterSession): Promise<AdapterSession>;
  find(sessionToken: string): Promise<AdapterSession | null>;
  /** Optional one-query session-and-user lookup (used when colocated with the user store). */
  findWithUser?(sessionToken: string): Promise<SessionAndUser | null>;
  update(session: Partial<AdapterSession> & { sessionToken: string }): Promise<AdapterSession | null>;
  delete(sessionToken: string): Promise<AdapterSession | null>;
  /** Deletes every session of a user but the one stored as `except` (when given); returns how many. */
  deleteByUserId(userId: string, except?: string): Promise<number>;
  /**
   * Every session of a user, tokens as stored. Optional: `listSessionsByUserId` fails with
   * `NOT_IMPLEMENTED` on a store without it (one that cannot look sessions up by user).
   */
  listByUserId?(userId: string): Promise<AdapterSession[]>;
  /**
   * Deletes at most `limit` sessions that expired at or before `before`; returns how many.
   * Optional: `kit.purgeExpired()` skips a store without it (one whose rows expire by themselves).
   */
  deleteExpired?(before: Date, limit: number): Promise<number>;
  /**
   * As `AccountStore.rewriteBatch`, for sessions: `kit.hashSessionTokens()` needs it. Tokens that
   * start with `donePrefix` are already rewritten: a store whose rows are keyed by the token itself
   * reads the others instead of paging by key (its cursor would be a token), and reports
   * `PENDING_CURSOR` as `next`.
   */
  rewriteBatch?(after: RowCursor | undefined, limit: number, rewrite: RowRewrite<AdapterSession>, donePrefix?: string): Promise<RewriteBatch>;
}

export interface VerificationTokenStore {
  create(token: VerificationToken): Promise<VerificationToken>;
  /** Atomically removes and returns the row: of concurrent callers exactly one gets it. */
  consume(identifier: string, token: string): Promise<VerificationToken | null>;
  find(identifier: string, token: string): Promise<VerificationToken | null>;
  /** Deletes at most `limit` tokens that expired at or before `before`; returns how many. Optional, as for sessions. */
  deleteExpired?(before: Date, limit: number): Promise<number>;
}

export interface AuthenticatorStore extends Colocated {
  create(authenticator: AdapterAuthenticator): Promise<AdapterAuthenticator>;
  find(credentialID: string): Promise<AdapterAuthenticator | null>;
  listByUserId(userId: string): Promise<AdapterAuthenticator[]>;
  /** Null when the credential is unknown. */
  updateCounter(credentialID: string, counter: number): Promise<AdapterAuthenticator | null>;
  deleteByUserId(userId: string): Promise<number>;
}

/**
 * @internal Set on a built-in store's `findWithUser` method: the same lookup handing its answer to
 * `onFound` in its own last promise step (and a failure to `onError`), so the hot
 * `getSessionAndUser` adds no step of its own. On the method, not the store: a `findWithUser` a
 * team replaced or overrode in a subclass does not carry it, and is called as it is.
 */
export const FIND_WITH_USER_THEN = Symbol("nextauth-adapter-kit:find-with-user-then");

export type FindWithUserThen = <R>(sessionToken: string, onFound: (found: SessionAndUser | null) => R, onError: (error: unknown) => never) => Promise<Awaited<R>>;

/** True when `a` and `b` declared the same database, so one may join the other's tables. */
export function colocated(a: Colocated, b: Colocated): boolean {
  return a.colocation !== undefined && a.colocation === b.colocation;
}
