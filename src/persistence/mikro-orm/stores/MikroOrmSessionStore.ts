import { inject, injectable } from "inversify";
import { TYPES } from "../../../kernel/identifiers";
import type { AdapterSession, AdapterUser, SessionAndUser } from "../../../types";
import type { SessionStore } from "../../ports";
import type { OrmConnection, Tables } from "../OrmConnection";
import { PreparedRead } from "../PreparedRead";
import { withoutKey } from "./withoutKey";

type SessionRow = AdapterSession & { id: string };

@injectable()
export class MikroOrmSessionStore implements SessionStore {
  readonly colocation: unknown;
  /** The joined select, built once per table layout: the hot path does no string work. */
  private joinSql: { tables: Tables; read: PreparedRead } | undefined;

  constructor(@inject(TYPES.OrmConnection) private readonly db: OrmConnection) {
    this.colocation = db;
  }

  create(session: AdapterSession): Promise<AdapterSession> {
    return this.db.run(async ({ em, tables }) => {
      const data = await tables.session.insert(em, tables.session.withKey(tables.session.pick(session)));
      return clean(tables.session.complete<SessionRow>(data))!;
    });
  }

  find(sessionToken: string): Promise<AdapterSession | null> {
    return this.db.run(async ({ em, tables }) => clean(await tables.session.findOne<SessionRow>(em, { sessionToken })));
  }

  /** One round trip: the session and its user in one joined select (a prepared statement on PostgreSQL). */
  findWithUser(sessionToken: string): Promise<SessionAndUser | null> {
    return this.db.run(async ({ connection, tables }) => {
      const row = await this.joinedSelect(tables).get(connection, [sessionToken]);
      if (!row) return null;
      return {
        session: clean(tables.session.toRecordFromPrefixed<SessionRow>(row, "s__"))!,
        user: tables.user.toRecordFromPrefixed<AdapterUser>(row, "u__"),
      };
    });
  }

  update(changes: Partial<AdapterSession> & { sessionToken: string }): Promise<AdapterSession | null> {
    return this.db.run(async ({ em, tables: { session } }) => {
      const { sessionToken, ...set } = session.pick(changes);
      if (Object.keys(set).length === 0) return clean(await session.findOne<SessionRow>(em, { sessionToken }));
      const [row] = await session.updateReturning<SessionRow>(em, set, { sessionToken });
      return clean(row ?? null);
    });
  }

  delete(sessionToken: string): Promise<AdapterSession | null> {
    return this.db.run(async ({ em, tables }) => clean((await tables.session.deleteReturning<SessionRow>(em, { sessionToken }))[0] ?? null));
  }

  deleteByUserId(userId: string, except?: string): Promise<number> {
    return this.db.run(async ({ em, tables: { session } }) => {
      if (except === undefined) return session.deleteWhere(em, { userId });
      const sql = `delete from ${session.table} where ${session.column("userId")} = ? and ${session.column("sessionToken")} <> ?`;
      const result = await em.getConnection().execute(sql, [session.param("userId", userId), session.param("sessionToken", except)], "run");
      return (result as { affectedRows?: number }).affectedRows ?? 0;
    });
  }

  listByUserId(userId: string): Promise<AdapterSession[]> {
    return this.db.run(async ({ em, tables }) => (await tables.session.findAll<SessionRow>(em, { userId })).map((row) => clean(row)!));
  }

  deleteExpired(before: Date, limit: number): Promise<number> {
    return this.db.run(({ em, tables }) => tables.session.deleteBatchBefore(em, "expires", before, limit));
  }

  private joinedSelect(tables: Tables): PreparedRead {
    if (this.joinSql?.tables !== tables) {
      const { session, user } = tables;
      const sql =
        `select ${session.selectList("s", "s__")}, ${user.selectList("u", "u__")} from ${session.table} s ` +
        `join ${user.table} u on u.${user.column("id")} = s.${session.column("userId")} where s.${session.column("sessionToken")} = ?`;
      this.joinSql = { tables, read: new PreparedRead(sql) };
    }
    return this.joinSql.read;
  }
}

/** A stored session as consumers see it: no surrogate key, `accessToken` only where v3 set one. */
function clean(row: SessionRow | null): AdapterSession | null {
  const session = withoutKey(row);
  if (session && session.accessToken == null) delete session.accessToken;
  return session;
}
