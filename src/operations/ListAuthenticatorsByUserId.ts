import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { AuthenticatorStore } from "../persistence/ports";

@Operation("listAuthenticatorsByUserId")
export class ListAuthenticatorsByUserId implements AdapterOperation<"listAuthenticatorsByUserId"> {
  constructor(@inject(TYPES.AuthenticatorStore) private readonly authenticators: AuthenticatorStore) {}

  execute({ userId }: ArgsOf<"listAuthenticatorsByUserId">) {
    return this.authenticators.listByUserId(userId);
  }
}
