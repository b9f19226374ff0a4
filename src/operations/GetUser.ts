import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { UserStore } from "../persistence/ports";

@Operation("getUser")
export class GetUser implements AdapterOperation<"getUser"> {
  constructor(@inject(TYPES.UserStore) private readonly users: UserStore) {}

  execute({ id }: ArgsOf<"getUser">) {
    return this.users.findById(id);
  }
}
