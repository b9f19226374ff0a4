import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { SessionStore } from "../persistence/ports";

@Operation("deleteSession")
export class DeleteSession implements AdapterOperation<"deleteSession"> {
  constructor(@inject(TYPES.SessionStore) private readonly sessions: SessionStore) {}

  execute({ sessionToken }: ArgsOf<"deleteSession">) {
    return this.sessions.delete(sessionToken);
  }
}
