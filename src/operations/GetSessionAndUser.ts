import { inject } from "inversify";
import { rethrowFor } from "../kernel/compose";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import { PRESENTED_SESSION_TOKEN, RESTORES_PRESENTED_TOKEN, TRANSLATES_ERRORS, type AdapterOperation, type ArgsOf, type OperationContext } from "../kernel/operations";
import { toAdapterError } from "../errors/AdapterError";
import { colocated, FIND_WITH_USER_THEN, type FindWithUserThen, type SessionStore, type UserStore } from "../persistence/ports";
import type { SessionAndUser } from "../types";

const OPERATION = "getSessionAndUser";
const rethrow = rethrowFor(OPERATION);

/** The hot path: runs on every request of a signed-in user. One query when the stores are colocated. */
@Operation("getSessionAndUser")
export class GetSessionAndUser implements AdapterOperation<"getSessionAndUser"> {
  private readonly joined: boolean;
  /** A built-in store's joined lookup that runs our step in its own (see FIND_WITH_USER_THEN). */
  private readonly joinedThen: FindWithUserThen | undefined;

  constructor(
    @inject(TYPES.SessionStore) private readonly sessions: SessionStore,
    @inject(TYPES.UserStore) private readonly users: UserStore,
  ) {
    this.joined = typeof sessions.findWithUser === "function" && colocated(sessions, users);
    // Only alongside the very `findWithUser` the store exposes (not one a team replaced).
    const then = (sessions.findWithUser as { [FIND_WITH_USER_THEN]?: FindWithUserThen } | undefined)?.[FIND_WITH_USER_THEN];
    this.joinedThen = this.joined && typeof then === "function" ? then : undefined;
  }

  execute({ sessionToken }: ArgsOf<"getSessionAndUser">, ctx?: OperationContext<"getSessionAndUser">): Promise<SessionAndUser | null> {
    const onFound = (row: SessionAndUser | null) => (row ? this.unexpired(row, sessionToken, ctx) : null);
    if (this.joinedThen) return this.joinedThen.call(this.sessions, sessionToken, onFound, rethrow) as Promise<SessionAndUser | null>;
    // `then` rather than an async function: the hot path saves a promise and a tick. Its rejection
    // handler translates the store's failures, in the same step.
    const found = this.joined ? this.sessions.findWithUser!(sessionToken) : this.findApart(sessionToken);
    return found.then(onFound, rethrow);
  }

  private unexpired(found: SessionAndUser, sessionToken: string, ctx: OperationContext<"getSessionAndUser"> | undefined): SessionAndUser | null | Promise<null> {
    try {
      if (found.session.expires.getTime() > Date.now()) {
        // Hashed session tokens: the caller gets back the token it presented, never the stored form.
        const presented = (ctx as { [PRESENTED_SESSION_TOKEN]?: string } | undefined)?.[PRESENTED_SESSION_TOKEN];
        return presented === undefined ? found : { ...found, session: { ...found.session, sessionToken: presented } };
      }
      // An expired session is never returned. Removing it keeps the table from growing; it is a
      // deleteSession like any other, so it goes through the plugins (the cache drops the token,
      // the logging records it), with the token the caller presented.
      if (ctx?.followUp) {
        ctx.followUp("deleteSession", (presented) => ({ sessionToken: presented.sessionToken }));
        return null;
      }
      return this.sessions.delete(sessionToken).then(() => null, rethrow);
    } catch (error) {
      // A store that answered with something unexpected (no `expires`).
      throw toAdapterError(error, OPERATION);
    }
  }

  private async findApart(sessionToken: string): Promise<SessionAndUser | null> {
    const session = await this.sessions.find(sessionToken);
    if (!session) return null;
    const user = await this.users.findById(session.userId);
    return user ? { session, user } : null;
  }
}

// `execute` rejects only with AdapterErrors naming the operation: the pipeline adds no `then` to
// translate. On the method, not the instance: a subclass with its own `execute` is not trusted.
(GetSessionAndUser.prototype.execute as { [TRANSLATES_ERRORS]?: boolean })[TRANSLATES_ERRORS] = true;
// It puts the presented session token back itself (see RESTORES_PRESENTED_TOKEN).
(GetSessionAndUser.prototype.execute as { [RESTORES_PRESENTED_TOKEN]?: boolean })[RESTORES_PRESENTED_TOKEN] = true;
