import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { AuthenticatorStore } from "../persistence/ports";

@Operation("getAuthenticator")
export class GetAuthenticator implements AdapterOperation<"getAuthenticator"> {
  constructor(@inject(TYPES.AuthenticatorStore) private readonly authenticators: AuthenticatorStore) {}

  execute({ credentialID }: ArgsOf<"getAuthenticator">) {
    return this.authenticators.find(credentialID);
  }
}
