import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { UserStore } from "../persistence/ports";

@Operation("getUserByEmail")
export class GetUserByEmail implements AdapterOperation<"getUserByEmail"> {
  constructor(@inject(TYPES.UserStore) private readonly users: UserStore) {}

  execute({ email }: ArgsOf<"getUserByEmail">) {
    return this.users.findByEmail(email);
  }
}
