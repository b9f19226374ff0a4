import { inject, injectable } from "inversify";
import { TYPES } from "../../../kernel/identifiers";
import type { AdapterAuthenticator } from "../../../types";
import type { AuthenticatorStore } from "../../ports";
import type { OrmConnection } from "../OrmConnection";
import { isTableMissing } from "../translateError";

@injectable()
export class MikroOrmAuthenticatorStore implements AuthenticatorStore {
  readonly colocation: unknown;

  constructor(@inject(TYPES.OrmConnection) private readonly db: OrmConnection) {
    this.colocation = db;
  }

  create(authenticator: AdapterAuthenticator): Promise<AdapterAuthenticator> {
    return this.db.run(async ({ em, tables }) => {
      const data = await tables.authenticator.insert(em, tables.authenticator.pick(authenticator));
      return tables.authenticator.complete<AdapterAuthenticator>(data);
    });
  }

  find(credentialID: string): Promise<AdapterAuthenticator | null> {
    return this.db.run(({ em, tables }) => tables.authenticator.findOne<AdapterAuthenticator>(em, { credentialID }));
  }

  listByUserId(userId: string): Promise<AdapterAuthenticator[]> {
    return this.db.run(({ em, tables }) => tables.authenticator.findAll<AdapterAuthenticator>(em, { userId }));
  }

  updateCounter(credentialID: string, counter: number): Promise<AdapterAuthenticator | null> {
    return this.db.run(async ({ em, tables }) => (await tables.authenticator.updateReturning<AdapterAuthenticator>(em, { counter }, { credentialID }))[0] ?? null);
  }

  deleteByUserId(userId: string): Promise<number> {
    return this.db.run(({ em, tables }) => tables.authenticator.deleteWhere(em, { userId })).catch((error: unknown) => {
      // A database upgraded from NextAuth v3 has no authenticators table until passkeys are set
      // up: its users have no authenticators to delete, and deleteUser must still work.
      if (isTableMissing(error)) return 0;
      throw error;
    });
  }
}
