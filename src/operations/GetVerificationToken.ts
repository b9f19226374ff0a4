import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { VerificationTokenStore } from "../persistence/ports";

/** A non-consuming look-up; an expired row is removed and not returned. */
@Operation("getVerificationToken")
export class GetVerificationToken implements AdapterOperation<"getVerificationToken"> {
  constructor(@inject(TYPES.VerificationTokenStore) private readonly tokens: VerificationTokenStore) {}

  async execute({ identifier, token }: ArgsOf<"getVerificationToken">) {
    const row = await this.tokens.find(identifier, token);
    if (!row || row.expires.getTime() > Date.now()) return row;
    await this.tokens.consume(identifier, token);
    return null;
  }
}
