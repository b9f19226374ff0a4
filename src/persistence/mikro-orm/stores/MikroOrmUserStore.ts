import { inject, injectable } from "inversify";
import { TYPES } from "../../../kernel/identifiers";
import type { AccountKey, AdapterUser, NewUser } from "../../../types";
import type { UserStore } from "../../ports";
import type { OrmConnection, Tables } from "../OrmConnection";
import { found, lookupKey, users } from "./replicaKeys";
import type { Statement } from "../dialects/Dialect";

@injectable()
export class MikroOrmUserStore implements UserStore {
  readonly colocation: unknown;

  /** The account-to-user select, built once per table layout. */
  private readonly byAccount = new WeakMap<Tables, string>(); // per table set: the primary's and each replica's

  constructor(@inject(TYPES.OrmConnection) private readonly db: OrmConnection) {
    this.colocation = db;
  }

  create(user: NewUser): Promise<AdapterUser> {
    return this.db.run(async (scope) => {
      const { tables } = scope;
      // A given id is kept, unless the database generates ids (an integer-keyed NextAuth v3 table).
      const data = await tables.user.insert(tables.user.withKey(tables.user.pick(user), true), () => scope.em);
      return tables.user.complete<AdapterUser>(data);
    }, (created) => users(created.id), true, userKeys);
  }

  findById(id: string): Promise<AdapterUser | null> {
    return this.db.replicaRead(({ tables }) => tables.user.findOne<AdapterUser>({ id }), (user) => found(user, (u) => [u.id]), lookupKey.userId(id));
  }

  findByEmail(email: string): Promise<AdapterUser | null> {
    return this.db.replicaRead(({ tables }) => tables.user.findOne<AdapterUser>({ email }), (user) => found(user, (u) => [u.id]), lookupKey.email(email));
  }

  /** One round trip (a prepared statement on PostgreSQL): every OAuth sign-in runs it. */
  findByAccount({ provider, providerAccountId }: AccountKey): Promise<AdapterUser | null> {
    return this.db.replicaRead(
      async ({ dialect, tables }) => {
        const [row] = (await dialect.execute(this.byAccountSelect(tables, provider, providerAccountId))).rows;
        return row ? tables.user.toRecord<AdapterUser>(row) : null;
      },
      (user) => found(user, (u) => [u.id]),
      lookupKey.account(provider, providerAccountId),
    );
  }

  /** `creates`: a new e-mail makes the user findable by a new key (see OrmConnection.run); other changes make none. */
  update(changes: Partial<AdapterUser> & { id: string }): Promise<AdapterUser | null> {
    return this.db.run(async (scope) => {
      const { user } = scope.tables;
      const { id, ...set } = user.pick(changes);
      if (Object.keys(set).length === 0) return user.findOne<AdapterUser>({ id });
      const [updated] = await user.updateReturning<AdapterUser>(set, { id }, () => scope.em);
      return updated ?? null;
    }, () => users(changes.id), typeof changes.email === "string", (updated) => (updated?.email ? [lookupKey.email(updated.email)] : []));
  }

  delete(id: string): Promise<AdapterUser | null> {
    return this.db.run(async ({ tables: { user } }) => (await user.deleteReturning<AdapterUser>({ id }))[0] ?? null, () => users(id));
  }

  private byAccountSelect(tables: Tables, provider: string, providerAccountId: string): Statement {
    const { user, account } = tables;
    let text = this.byAccount.get(tables);
    if (text === undefined) {
      const p = (i: number) => user.dialect.placeholder(i);
      text =
        `select u.* from ${user.table} u join ${account.table} a on a.${account.column("userId")} = u.${user.column("id")} ` +
        `where a.${account.column("provider")} = ${p(1)} and a.${account.column("providerAccountId")} = ${p(2)}`;
      this.byAccount.set(tables, text);
    }
    const values = [account.param("provider", provider), account.param("providerAccountId", providerAccountId)];
    return user.statement(text, values, [user.meta.tableName, account.meta.tableName]);
  }
}

/** What a new user can be found by: its id and its e-mail (as stored). */
function userKeys(user: AdapterUser): string[] {
  return user.email ? [lookupKey.userId(user.id), lookupKey.email(user.email)] : [lookupKey.userId(user.id)];
}
