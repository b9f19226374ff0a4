import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { SessionStore } from "../persistence/ports";

@Operation("updateSession")
export class UpdateSession implements AdapterOperation<"updateSession"> {
  constructor(@inject(TYPES.SessionStore) private readonly sessions: SessionStore) {}

  execute(session: ArgsOf<"updateSession">) {
    return this.sessions.update(session);
  }
}
