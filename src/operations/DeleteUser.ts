import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { AccountStore, AuthenticatorStore, SessionStore, UserStore } from "../persistence/ports";

@Operation("deleteUser")
export class DeleteUser implements AdapterOperation<"deleteUser"> {
  constructor(
    @inject(TYPES.UserStore) private readonly users: UserStore,
    @inject(TYPES.AccountStore) private readonly accounts: AccountStore,
    @inject(TYPES.SessionStore) private readonly sessions: SessionStore,
    @inject(TYPES.AuthenticatorStore) private readonly authenticators: AuthenticatorStore,
  ) {}

  async execute({ id }: ArgsOf<"deleteUser">) {
    // Explicit deletes rather than trusting ON DELETE CASCADE: the stores may live in different
    // databases, and tables inherited from NextAuth v3 have no foreign keys at all.
    await this.sessions.deleteByUserId(id);
    await Promise.all([this.accounts.deleteByUserId(id), this.authenticators.deleteByUserId(id)]);
    return this.users.delete(id);
  }
}
