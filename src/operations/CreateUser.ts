import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { UserStore } from "../persistence/ports";

@Operation("createUser")
export class CreateUser implements AdapterOperation<"createUser"> {
  constructor(@inject(TYPES.UserStore) private readonly users: UserStore) {}

  execute(user: ArgsOf<"createUser">) {
    return this.users.create(user);
  }
}
