import { inject } from "inversify";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf, OperationContext } from "../kernel/operations";
import { colocated, type SessionStore, type UserStore } from "../persistence/ports";
import type { SessionAndUser } from "../types";

/** The hot path: runs on every request of a signed-in user. One query when the stores are colocated. */
@Operation("getSessionAndUser")
export class GetSessionAndUser implements AdapterOperation<"getSessionAndUser"> {
  private readonly joined: boolean;

  constructor(
    @inject(TYPES.SessionStore) private readonly sessions: SessionStore,
    @inject(TYPES.UserStore) private readonly users: UserStore,
  ) {
    this.joined = typeof sessions.findWithUser === "function" && colocated(sessions, users);
  }

  async execute({ sessionToken }: ArgsOf<"getSessionAndUser">, ctx?: OperationContext<"getSessionAndUser">): Promise<SessionAndUser | null> {
    const found = this.joined ? await this.sessions.findWithUser!(sessionToken) : await this.findApart(sessionToken);
    if (!found) return null;
    if (found.session.expires.getTime() <= Date.now()) {
      // An expired session is never returned. Removing it keeps the table from growing; it is a
      // deleteSession like any other, so it goes through the plugins (the cache drops the token,
      // the logging records it), with the token the caller presented.
      if (ctx?.followUp) ctx.followUp("deleteSession", (presented) => ({ sessionToken: presented.sessionToken }));
      else await this.sessions.delete(sessionToken);
      return null;
    }
    return found;
  }

  private async findApart(sessionToken: string): Promise<SessionAndUser | null> {
    const session = await this.sessions.find(sessionToken);
    if (!session) return null;
    const user = await this.users.findById(session.userId);
    return user ? { session, user } : null;
  }
}
