import { inject, injectable } from "inversify";
import { TYPES } from "../../../kernel/identifiers";
import type { AdapterAuthenticator } from "../../../types";
import type { AuthenticatorStore } from "../../ports";
import type { OrmConnection } from "../OrmConnection";

@injectable()
export class MikroOrmAuthenticatorStore implements AuthenticatorStore {
  readonly colocation: unknown;

  constructor(@inject(TYPES.OrmConnection) private readonly db: OrmConnection) {
    this.colocation = db;
  }

  create(authenticator: AdapterAuthenticator): Promise<AdapterAuthenticator> {
    return this.db.run(async ({ em, tables }) => {
      const data = tables.authenticator.pick(authenticator);
      await tables.authenticator.insert(em, data);
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
    return this.db.run(({ em, tables }) => tables.authenticator.deleteWhere(em, { userId }));
  }
}
