import { inject, injectable } from "inversify";
import { TYPES } from "../../../kernel/identifiers";
import type { AccountKey, AdapterAccount } from "../../../types";
import type { AccountStore, RewriteBatch, RowCursor, RowRewrite } from "../../ports";
import type { OrmConnection } from "../OrmConnection";
import { found, lookupKey, users } from "./replicaKeys";
import { compactAccount } from "./withoutKey";

@injectable()
export class MikroOrmAccountStore implements AccountStore {
  readonly colocation: unknown;

  constructor(@inject(TYPES.OrmConnection) private readonly db: OrmConnection) {
    this.colocation = db;
  }

  create(account: AdapterAccount): Promise<AdapterAccount> {
    return this.db.run(async (scope) => {
      const { tables } = scope;
      const data = await tables.account.insert(tables.account.withKey(tables.account.pick(account)), () => scope.em);
      // The record's columns only: `data` also holds what onCreate hooks filled (v3's compound_id, timestamps).
      return compactAccount(tables.account.complete<AdapterAccount & { id: string }>(data)) as AdapterAccount;
    }, () => users(account.userId), true, [lookupKey.account(account.provider, account.providerAccountId)]);
  }

  find({ provider, providerAccountId }: AccountKey): Promise<AdapterAccount | null> {
    return this.db.replicaRead(
      async ({ tables }) => compactAccount(await tables.account.findOne<AdapterAccount & { id: string }>({ provider, providerAccountId })) as AdapterAccount | null,
      (account) => found(account, (a) => [a.userId]),
      lookupKey.account(provider, providerAccountId),
    );
  }

  delete({ provider, providerAccountId }: AccountKey): Promise<AdapterAccount | null> {
    return this.db.run(async ({ tables }) => {
      const [row] = await tables.account.deleteReturning<AdapterAccount & { id: string }>({ provider, providerAccountId });
      return compactAccount(row ?? null) as AdapterAccount | null;
    }, (row) => users(row?.userId));
  }

  deleteByUserId(userId: string): Promise<number> {
    return this.db.run(({ tables }) => tables.account.deleteWhere({ userId }), () => users(userId));
  }

  /** A batch of `kit.reencryptAccountTokens()`: every column read, the changed ones written back. */
  rewriteBatch(after: RowCursor | undefined, limit: number, rewrite: RowRewrite<AdapterAccount>): Promise<RewriteBatch> {
    return this.db.run(({ tables }) => tables.account.rewriteBatch(tables.account.props, after, limit, rewrite as never));
  }
}
