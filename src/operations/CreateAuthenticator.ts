import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { AuthenticatorStore } from "../persistence/ports";

@Operation("createAuthenticator")
export class CreateAuthenticator implements AdapterOperation<"createAuthenticator"> {
  constructor(@inject(TYPES.AuthenticatorStore) private readonly authenticators: AuthenticatorStore) {}

  execute(authenticator: ArgsOf<"createAuthenticator">) {
    return this.authenticators.create(authenticator);
  }
}
