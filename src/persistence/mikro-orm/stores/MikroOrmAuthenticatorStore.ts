import { inject, injectable } from "inversify";
import { TYPES } from "../../../kernel/identifiers";
import type { AdapterAuthenticator } from "../../../types";
import type { AuthenticatorStore } from "../../ports";
import type { OrmConnection } from "../OrmConnection";
import { isTableMissing } from "../translateError";
import { found, lookupKey, users } from "./replicaKeys";

@injectable()
export class MikroOrmAuthenticatorStore implements AuthenticatorStore {
  readonly colocation: unknown;

  constructor(@inject(TYPES.OrmConnection) private readonly db: OrmConnection) {
    this.colocation = db;
  }

  create(authenticator: AdapterAuthenticator): Promise<AdapterAuthenticator> {
    return this.db.run(async (scope) => {
      const { tables } = scope;
      const data = await tables.authenticator.insert(tables.authenticator.pick(authenticator), () => scope.em);
      return tables.authenticator.complete<AdapterAuthenticator>(data);
    }, () => users(authenticator.userId), true, [lookupKey.credential(authenticator.credentialID), lookupKey.authenticatorsOf(authenticator.userId)]);
  }

  find(credentialID: string): Promise<AdapterAuthenticator | null> {
    return this.db.replicaRead(
      ({ tables }) => tables.authenticator.findOne<AdapterAuthenticator>({ credentialID }),
      (authenticator) => found(authenticator, (a) => [a.userId]),
      lookupKey.credential(credentialID),
    );
  }

  listByUserId(userId: string): Promise<AdapterAuthenticator[]> {
    // An empty list is a miss: the primary is asked (a passkey registered a moment ago counts).
    return this.db.replicaRead(
      ({ tables }) => tables.authenticator.findAll<AdapterAuthenticator>({ userId }),
      (list) => (list.length === 0 ? null : users(userId)),
      lookupKey.authenticatorsOf(userId),
    );
  }

  updateCounter(credentialID: string, counter: number): Promise<AdapterAuthenticator | null> {
    return this.db.run(
      async (scope) => (await scope.tables.authenticator.updateReturning<AdapterAuthenticator>({ counter }, { credentialID }, () => scope.em))[0] ?? null,
      (row) => users(row?.userId),
    );
  }

  deleteByUserId(userId: string): Promise<number> {
    return this.db.run(({ tables }) => tables.authenticator.deleteWhere({ userId }), () => users(userId)).catch((error: unknown) => {
      // A database upgraded from NextAuth v3 has no authenticators table until passkeys are set
      // up: its users have no authenticators to delete, and deleteUser must still work.
      if (isTableMissing(error)) return 0;
      throw error;
    });
  }
}
