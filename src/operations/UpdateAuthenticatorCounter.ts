import { inject } from "inversify";
import { AdapterError, ErrorCode } from "../errors/AdapterError";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { AuthenticatorStore } from "../persistence/ports";

/** Throws NOT_FOUND for an unknown credential, as Auth.js expects. */
@Operation("updateAuthenticatorCounter")
export class UpdateAuthenticatorCounter implements AdapterOperation<"updateAuthenticatorCounter"> {
  constructor(@inject(TYPES.AuthenticatorStore) private readonly authenticators: AuthenticatorStore) {}

  async execute({ credentialID, counter }: ArgsOf<"updateAuthenticatorCounter">) {
    const updated = await this.authenticators.updateCounter(credentialID, counter);
    if (!updated) throw new AdapterError(ErrorCode.NOT_FOUND, "no authenticator with the given credentialID", { operation: "updateAuthenticatorCounter" });
    return updated;
  }
}
