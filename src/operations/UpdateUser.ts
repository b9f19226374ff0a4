import { inject } from "inversify";
import { AdapterError, ErrorCode } from "../errors/AdapterError";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { UserStore } from "../persistence/ports";

@Operation("updateUser")
export class UpdateUser implements AdapterOperation<"updateUser"> {
  constructor(@inject(TYPES.UserStore) private readonly users: UserStore) {}

  async execute(user: ArgsOf<"updateUser">) {
    const updated = await this.users.update(user);
    if (!updated) throw new AdapterError(ErrorCode.NOT_FOUND, `no user with the given id`, { operation: "updateUser" });
    return updated;
  }
}
