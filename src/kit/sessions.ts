import type { OperationName, ArgsOf, ResultOf } from "../kernel/operations";
import type { ListedSession } from "../types";

type Call = <N extends OperationName>(operation: N, args: ArgsOf<N>) => Promise<ResultOf<N>>;

export interface ListSessionsOptions {
  /** The caller's own session token: its entry comes back with `current: true`. */
  current?: string;
}

export interface RevokeSessionsOptions {
  /** The caller's own session token, kept: "sign out my other devices". Omitted: sign out everywhere. */
  except?: string;
}

/**
 * `kit.sessions`: session management over the canonical operations, so every plugin (hashing, the
 * session cache on every instance, logging, metrics) applies as it does to the consumers' calls.
 */
export class SessionManager {
  constructor(private readonly call: Call) {}

  /** The user's live sessions, latest expiry first; never a token, only a `tokenId`. */
  list(userId: string, options: ListSessionsOptions = {}): Promise<ListedSession[]> {
    return this.call("listSessionsByUserId", { userId, ...(options.current !== undefined && { currentSessionToken: options.current }) });
  }

  /** Deletes the user's sessions (all but `except`); returns how many. No instance serves one afterwards. */
  revoke(userId: string, options: RevokeSessionsOptions = {}): Promise<number> {
    return this.call("deleteSessionsByUserId", { userId, ...(options.except !== undefined && { exceptSessionToken: options.except }) });
  }
}
