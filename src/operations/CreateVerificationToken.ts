import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { VerificationTokenStore } from "../persistence/ports";

@Operation("createVerificationToken")
export class CreateVerificationToken implements AdapterOperation<"createVerificationToken"> {
  constructor(@inject(TYPES.VerificationTokenStore) private readonly tokens: VerificationTokenStore) {}

  execute(token: ArgsOf<"createVerificationToken">) {
    return this.tokens.create(token);
  }
}
