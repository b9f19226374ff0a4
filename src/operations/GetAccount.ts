import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { AccountStore } from "../persistence/ports";

@Operation("getAccount")
export class GetAccount implements AdapterOperation<"getAccount"> {
  constructor(@inject(TYPES.AccountStore) private readonly accounts: AccountStore) {}

  execute(key: ArgsOf<"getAccount">) {
    return this.accounts.find(key);
  }
}
