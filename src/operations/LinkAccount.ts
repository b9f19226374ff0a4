import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { AccountStore } from "../persistence/ports";

@Operation("linkAccount")
export class LinkAccount implements AdapterOperation<"linkAccount"> {
  constructor(@inject(TYPES.AccountStore) private readonly accounts: AccountStore) {}

  execute(account: ArgsOf<"linkAccount">) {
    return this.accounts.create(account);
  }
}
