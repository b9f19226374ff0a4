import { inject, injectable } from "inversify";
import { TYPES } from "../../../kernel/identifiers";
import type { AdapterSession, AdapterUser, SessionAndUser } from "../../../types";
import { FIND_WITH_USER_THEN, type RewriteBatch, type RowCursor, type RowRewrite, type SessionStore } from "../../ports";
import type { OrmConnection, Tables } from "../OrmConnection";
import type { OrmScope } from "../OrmScope";
import { Binder, type Statement } from "../dialects/Dialect";
import { found, NO_USERS, users } from "./replicaKeys";

type SessionRow = AdapterSession & { id: string };

/** The session's surrogate key: never part of what consumers get, so the hot join does not select it. */
const NO_KEY = ["id"] as const;

@injectable()
export class MikroOrmSessionStore implements SessionStore {
  readonly colocation: unknown;
  /** The joined select, built once per table layout: the hot path does no string work. */
  private readonly joinSql = new WeakMap<Tables, string>(); // per table set: the primary's and each replica's

  constructor(@inject(TYPES.OrmConnection) private readonly db: OrmConnection) {
    this.colocation = db;
  }

  create(session: AdapterSession): Promise<AdapterSession> {
    return this.db.run(async (scope) => {
      const { tables } = scope;
      const data = await tables.session.insert(tables.session.withKey(tables.session.pick(session)), () => scope.em);
      return clean(tables.session.complete<SessionRow>(data))!;
    }, () => users(session.userId), true, [session.sessionToken]);
  }

  find(sessionToken: string): Promise<AdapterSession | null> {
    return this.db.replicaRead(
      async ({ tables }) => clean(await tables.session.findOne<SessionRow>({ sessionToken })),
      (session) => found(session, (s) => [s.userId]),
      sessionToken,
    );
  }

  /** One round trip: the session and its user in one joined select (a prepared statement on PostgreSQL). */
  findWithUser(sessionToken: string): Promise<SessionAndUser | null> {
    return this.db.replicaRead(this.joinedRead(sessionToken), sessionAndUserIds, sessionToken);
  }

  /** `findWithUser` with the caller's step in the step that also retries a broken read (see FIND_WITH_USER_THEN). */
  findWithUserThen<R>(sessionToken: string, onFound: (found: SessionAndUser | null) => R, onError: (error: unknown) => never): Promise<Awaited<R>> {
    return this.db.replicaReadThen(this.joinedRead(sessionToken), sessionAndUserIds, sessionToken, onFound, onError);
  }

  private joinedRead(sessionToken: string): (scope: OrmScope) => Promise<SessionAndUser | null> {
    // `then` rather than an async function: a promise and a tick less on the hot path.
    return ({ dialect, tables }) => dialect.execute(this.joinedSelect(tables, sessionToken)).then(({ rows }) => joined(tables, rows[0]));
  }

  update(changes: Partial<AdapterSession> & { sessionToken: string }): Promise<AdapterSession | null> {
    return this.db.run(async (scope) => {
      const { session } = scope.tables;
      // The surrogate key is the row's own: an `id` in the changes is not a change to make.
      const { sessionToken, id: _id, ...set } = session.pick(changes as typeof changes & { id?: unknown });
      if (Object.keys(set).length === 0) return clean(await session.findOne<SessionRow>({ sessionToken }));
      const [row] = await session.updateReturning<SessionRow>(set, { sessionToken }, () => scope.em);
      return clean(row ?? null);
    }, (row) => users(row?.userId));
  }

  delete(sessionToken: string): Promise<AdapterSession | null> {
    return this.db.run(async ({ tables }) => clean((await tables.session.deleteReturning<SessionRow>({ sessionToken }))[0] ?? null), (row) => users(row?.userId));
  }

  deleteByUserId(userId: string, except?: string): Promise<number> {
    return this.db.run(async ({ dialect, tables: { session } }) => {
      if (except === undefined) return session.deleteWhere({ userId });
      // "Sign out my other devices": every session of the user but the caller's own, one statement.
      const b = new Binder(dialect);
      const text = `delete from ${session.table} where ${session.column("userId")} = ${b.bind(session.param("userId", userId))} and ${session.column("sessionToken")} <> ${b.bind(session.param("sessionToken", except))}`;
      return (await dialect.execute(session.statement(text, b.values))).affected;
    }, () => users(userId));
  }

  /** From the primary: a list shown right after "sign out other devices" must not show them. */
  listByUserId(userId: string): Promise<AdapterSession[]> {
    return this.db.read(async ({ tables }) => (await tables.session.findAll<SessionRow>({ userId })).map((row) => clean(row)!));
  }

  deleteExpired(before: Date, limit: number): Promise<number> {
    // Expired sessions are never returned (getSessionAndUser checks), so a replica may still hold them.
    return this.db.run(({ tables }) => tables.session.deleteBatchBefore("expires", before, limit), NO_USERS);
  }

  /** A batch of `kit.hashSessionTokens()`. */
  rewriteBatch(after: RowCursor | undefined, limit: number, rewrite: RowRewrite<AdapterSession>, donePrefix?: string): Promise<RewriteBatch> {
    return this.db.run(({ tables }) => tables.session.rewriteBatch(tables.session.props, after, limit, rewrite as never, donePrefix));
  }

  private joinedSelect(tables: Tables, sessionToken: string): Statement {
    const { session, user } = tables;
    let text = this.joinSql.get(tables);
    if (text === undefined) {
      text =
        `select ${session.selectList("s", "s__", NO_KEY)}, ${user.selectList("u", "u__")} from ${session.table} s ` +
        `join ${user.table} u on u.${user.column("id")} = s.${session.column("userId")} where s.${session.column("sessionToken")} = ${session.dialect.placeholder(1)}`;
      this.joinSql.set(tables, text);
    }
    return session.statement(text, [sessionToken], [session.meta.tableName, user.meta.tableName]);
  }
}

/** The users a joined answer is about (replica fences). */
const sessionAndUserIds = (result: SessionAndUser | null) => found(result, (r) => [r.session.userId, r.user.id]);

/** The session and its user out of a row of the joined select (none: null). */
function joined(tables: Tables, row: Record<string, unknown> | undefined): SessionAndUser | null {
  if (!row) return null;
  return {
    session: clean(tables.session.toRecordFromPrefixed<SessionRow>(row, "s__", NO_KEY))!,
    user: tables.user.toRecordFromPrefixed<AdapterUser>(row, "u__"),
  };
}

/** A stored session as consumers see it: no surrogate key, `accessToken` only where v3 set one. */
function clean(row: SessionRow | null): AdapterSession | null {
  if (!row) return null;
  // Nothing to leave out (the joined select has no key; no null accessToken): the fresh record as it is.
  const fields = row as unknown as Record<string, unknown>;
  if (!("id" in fields) && (!("accessToken" in fields) || fields.accessToken != null)) return row;
  // A copy without the two keys rather than `delete`, which would turn the object into a slow dictionary.
  const session: Record<string, unknown> = {};
  for (const key in row) {
    const value = (row as unknown as Record<string, unknown>)[key];
    if (key !== "id" && !(key === "accessToken" && value == null)) session[key] = value;
  }
  return session as unknown as AdapterSession;
}

(MikroOrmSessionStore.prototype.findWithUser as { [FIND_WITH_USER_THEN]?: unknown })[FIND_WITH_USER_THEN] = MikroOrmSessionStore.prototype.findWithUserThen;
