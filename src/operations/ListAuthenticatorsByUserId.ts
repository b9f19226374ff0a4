import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { AuthenticatorStore } from "../persistence/ports";
import type { AdapterAuthenticator } from "../types";

const byCredentialId = (a: AdapterAuthenticator, b: AdapterAuthenticator) => (a.credentialID < b.credentialID ? -1 : a.credentialID > b.credentialID ? 1 : 0);

@Operation("listAuthenticatorsByUserId")
export class ListAuthenticatorsByUserId implements AdapterOperation<"listAuthenticatorsByUserId"> {
  constructor(@inject(TYPES.AuthenticatorStore) private readonly authenticators: AuthenticatorStore) {}

  /**
   * In credential ID order, whatever the store: a database returns rows in no promised order, and
   * on PostgreSQL a counter update (every sign-in) moves the row, so a page of passkeys would shuffle.
   */
  async execute({ userId }: ArgsOf<"listAuthenticatorsByUserId">) {
    return (await this.authenticators.listByUserId(userId)).sort(byCredentialId);
  }
}
