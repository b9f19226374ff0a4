import { inject, injectable } from "inversify";
import { TYPES } from "../../../kernel/identifiers";
import type { AccountKey, AdapterUser, NewUser } from "../../../types";
import type { UserStore } from "../../ports";
import type { OrmConnection, Tables } from "../OrmConnection";
import { PreparedRead } from "../PreparedRead";

@injectable()
export class MikroOrmUserStore implements UserStore {
  readonly colocation: unknown;

  /** The account-to-user select, built once per table layout. */
  private byAccount: { tables: Tables; read: PreparedRead } | undefined;

  constructor(@inject(TYPES.OrmConnection) private readonly db: OrmConnection) {
    this.colocation = db;
  }

  create(user: NewUser): Promise<AdapterUser> {
    return this.db.run(async ({ em, tables }) => {
      // A given id is kept, unless the database generates ids (an integer-keyed NextAuth v3 table).
      const data = await tables.user.insert(em, tables.user.withKey(tables.user.pick(user), true));
      return tables.user.complete<AdapterUser>(data);
    });
  }

  findById(id: string): Promise<AdapterUser | null> {
    return this.db.run(({ em, tables }) => tables.user.findOne<AdapterUser>(em, { id }));
  }

  findByEmail(email: string): Promise<AdapterUser | null> {
    return this.db.run(({ em, tables }) => tables.user.findOne<AdapterUser>(em, { email }));
  }

  /** One round trip (a prepared statement on PostgreSQL): every OAuth sign-in runs it. */
  findByAccount({ provider, providerAccountId }: AccountKey): Promise<AdapterUser | null> {
    return this.db.run(async ({ connection, tables }) => {
      const row = await this.byAccountSelect(tables).get(connection, [provider, providerAccountId]);
      return row ? tables.user.toRecord<AdapterUser>(row) : null;
    });
  }

  update(changes: Partial<AdapterUser> & { id: string }): Promise<AdapterUser | null> {
    return this.db.run(async ({ em, tables: { user } }) => {
      const { id, ...set } = user.pick(changes);
      if (Object.keys(set).length === 0) return user.findOne<AdapterUser>(em, { id });
      const [updated] = await user.updateReturning<AdapterUser>(em, set, { id });
      return updated ?? null;
    });
  }

  delete(id: string): Promise<AdapterUser | null> {
    return this.db.run(async ({ em, tables: { user } }) => (await user.deleteReturning<AdapterUser>(em, { id }))[0] ?? null);
  }

  private byAccountSelect(tables: Tables): PreparedRead {
    if (this.byAccount?.tables !== tables) {
      const { user, account } = tables;
      const sql =
        `select u.* from ${user.table} u join ${account.table} a on a.${account.column("userId")} = u.${user.column("id")} ` +
        `where a.${account.column("provider")} = ? and a.${account.column("providerAccountId")} = ?`;
      this.byAccount = { tables, read: new PreparedRead(sql) };
    }
    return this.byAccount.read;
  }
}
