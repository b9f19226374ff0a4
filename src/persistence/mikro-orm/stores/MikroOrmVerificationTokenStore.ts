import { inject, injectable } from "inversify";
import { TYPES } from "../../../kernel/identifiers";
import type { VerificationToken } from "../../../types";
import type { VerificationTokenStore } from "../../ports";
import type { OrmConnection } from "../OrmConnection";
import { NO_USERS } from "./replicaKeys";

@injectable()
export class MikroOrmVerificationTokenStore implements VerificationTokenStore {
  constructor(@inject(TYPES.OrmConnection) private readonly db: OrmConnection) {}

  create(token: VerificationToken): Promise<VerificationToken> {
    return this.db.run(async (scope) => {
      const { tables } = scope;
      const data = await tables.verificationToken.insert(tables.verificationToken.pick(token), () => scope.em);
      return tables.verificationToken.complete<VerificationToken>(data);
    }, NO_USERS);
  }

  /** `DELETE ... RETURNING`: one statement, so two clicks on one link cannot both win. */
  consume(identifier: string, token: string): Promise<VerificationToken | null> {
    return this.db.run(async ({ tables }) => (await tables.verificationToken.deleteReturning<VerificationToken>({ identifier, token }))[0] ?? null, NO_USERS);
  }

  find(identifier: string, token: string): Promise<VerificationToken | null> {
    return this.db.read(({ tables }) => tables.verificationToken.findOne<VerificationToken>({ identifier, token }));
  }

  deleteExpired(before: Date, limit: number): Promise<number> {
    return this.db.run(({ tables }) => tables.verificationToken.deleteBatchBefore("expires", before, limit), NO_USERS);
  }
}
