import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { SessionStore } from "../persistence/ports";

/**
 * "Sign out everywhere" (no `exceptSessionToken`) and "sign out my other devices"
 * (`exceptSessionToken`: the caller's own). The session cache plugin invalidates the user's
 * sessions on every instance.
 */
@Operation("deleteSessionsByUserId")
export class DeleteSessionsByUserId implements AdapterOperation<"deleteSessionsByUserId"> {
  constructor(@inject(TYPES.SessionStore) private readonly sessions: SessionStore) {}

  execute({ userId, exceptSessionToken: except }: ArgsOf<"deleteSessionsByUserId">): Promise<number> {
    return this.sessions.deleteByUserId(userId, except);
  }
}
