import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { AccountStore } from "../persistence/ports";

@Operation("unlinkAccount")
export class UnlinkAccount implements AdapterOperation<"unlinkAccount"> {
  constructor(@inject(TYPES.AccountStore) private readonly accounts: AccountStore) {}

  execute(key: ArgsOf<"unlinkAccount">) {
    return this.accounts.delete(key);
  }
}
