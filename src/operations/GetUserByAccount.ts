import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import { colocated, type AccountStore, type UserStore } from "../persistence/ports";

@Operation("getUserByAccount")
export class GetUserByAccount implements AdapterOperation<"getUserByAccount"> {
  constructor(
    @inject(TYPES.UserStore) private readonly users: UserStore,
    @inject(TYPES.AccountStore) private readonly accounts: AccountStore,
  ) {}

  async execute(key: ArgsOf<"getUserByAccount">) {
    // One query when users and accounts share a database; two when they live apart.
    if (this.users.findByAccount && colocated(this.users, this.accounts)) return this.users.findByAccount(key);
    const account = await this.accounts.find(key);
    return account ? this.users.findById(account.userId) : null;
  }
}
