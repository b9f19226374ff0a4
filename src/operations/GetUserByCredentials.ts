import { AdapterError, ErrorCode } from "../errors/AdapterError";
import { Operation } from "../kernel/decorators";
import type { AdapterOperation } from "../kernel/operations";

/**
 * Credentials checking is the app's own business (password schemes, rate limits, MFA), so the kit
 * has nothing to guess here: bind your own class with `kit.override("getUserByCredentials", Yours)`.
 */
@Operation("getUserByCredentials")
export class GetUserByCredentials implements AdapterOperation<"getUserByCredentials"> {
  async execute(): Promise<never> {
    throw new AdapterError(
      ErrorCode.NOT_IMPLEMENTED,
      'no implementation is bound. Write a class decorated with @Operation("getUserByCredentials") ' +
        'and register it with kit.override("getUserByCredentials", YourClass).',
      { operation: "getUserByCredentials" },
    );
  }
}
