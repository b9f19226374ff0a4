import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { VerificationTokenStore } from "../persistence/ports";

@Operation("deleteVerificationToken")
export class DeleteVerificationToken implements AdapterOperation<"deleteVerificationToken"> {
  constructor(@inject(TYPES.VerificationTokenStore) private readonly tokens: VerificationTokenStore) {}

  execute({ identifier, token }: ArgsOf<"deleteVerificationToken">) {
    return this.tokens.consume(identifier, token);
  }
}
