import { inject } from "inversify";
import { Operation, TYPES, type AdapterOperation, type ArgsOf, type UserStore } from "../../src";

/**
 * The team's own `getUserByEmail`. Their user directory was imported with every address in lower
 * case, but NextAuth v3 looks users up by the address exactly as typed: "Grace@Example.com" would
 * find nobody and sign Grace up a second time. So the lookup lower-cases first.
 *
 * `@Operation` names the operation this class replaces and makes it injectable; the constructor
 * gets the kit's user store (whichever store is bound) through the container.
 */
@Operation("getUserByEmail")
export class CaseInsensitiveGetUserByEmail implements AdapterOperation<"getUserByEmail"> {
  constructor(@inject(TYPES.UserStore) private readonly users: UserStore) {}

  execute({ email }: ArgsOf<"getUserByEmail">) {
    return this.users.findByEmail(email.trim().toLowerCase());
  }
}
