import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { VerificationTokenStore } from "../persistence/ports";
import { unexpired } from "./unexpired";

/** Single use: the store removes and returns the row in one atomic statement. */
@Operation("useVerificationToken")
export class UseVerificationToken implements AdapterOperation<"useVerificationToken"> {
  constructor(@inject(TYPES.VerificationTokenStore) private readonly tokens: VerificationTokenStore) {}

  async execute({ identifier, token }: ArgsOf<"useVerificationToken">) {
    return unexpired(await this.tokens.consume(identifier, token));
  }
}
