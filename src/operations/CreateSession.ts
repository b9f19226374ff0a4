import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { SessionStore } from "../persistence/ports";

@Operation("createSession")
export class CreateSession implements AdapterOperation<"createSession"> {
  constructor(@inject(TYPES.SessionStore) private readonly sessions: SessionStore) {}

  execute(session: ArgsOf<"createSession">) {
    return this.sessions.create(session);
  }
}
