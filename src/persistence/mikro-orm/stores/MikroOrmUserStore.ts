import { randomUUID } from "node:crypto";
import { inject, injectable } from "inversify";
import { TYPES } from "../../../kernel/identifiers";
import type { AccountKey, AdapterUser, NewUser } from "../../../types";
import type { UserStore } from "../../ports";
import type { OrmConnection } from "../OrmConnection";

@injectable()
export class MikroOrmUserStore implements UserStore {
  readonly colocation: unknown;

  constructor(@inject(TYPES.OrmConnection) private readonly db: OrmConnection) {
    this.colocation = db;
  }

  create(user: NewUser): Promise<AdapterUser> {
    return this.db.run(async ({ em, tables }) => {
      const data = tables.user.pick(user);
      data.id ??= randomUUID();
      await tables.user.insert(em, data);
      return tables.user.complete<AdapterUser>(data);
    });
  }

  findById(id: string): Promise<AdapterUser | null> {
    return this.db.run(({ em, tables }) => tables.user.findOne<AdapterUser>(em, { id }));
  }

  findByEmail(email: string): Promise<AdapterUser | null> {
    return this.db.run(({ em, tables }) => tables.user.findOne<AdapterUser>(em, { email }));
  }

  findByAccount({ provider, providerAccountId }: AccountKey): Promise<AdapterUser | null> {
    return this.db.run(async ({ em, tables: { user, account } }) => {
      const sql =
        `select u.* from ${user.table} u join ${account.table} a on a.${account.column("userId")} = u.${user.column("id")} ` +
        `where a.${account.column("provider")} = ? and a.${account.column("providerAccountId")} = ?`;
      const row = await em.getConnection().execute(sql, [provider, providerAccountId], "get") as Record<string, unknown> | undefined;
      return row ? user.toRecord<AdapterUser>(row) : null;
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
}
