import type {
  AccountKey,
  AdapterAccount,
  AdapterAuthenticator,
  AdapterSession,
  AdapterUser,
  NewUser,
  ListedSession,
  SessionAndUser,
  VerificationToken,
} from "../types";

/**
 * The canonical operation set: the union of what NextAuth v3, next-auth v4 and Auth.js v5 need,
 * each taking one argument object. Facades translate to these; plugins wrap these.
 */
export interface OperationMap {
  createUser: { args: NewUser; result: AdapterUser };
  getUser: { args: { id: string }; result: AdapterUser | null };
  getUserByEmail: { args: { email: string }; result: AdapterUser | null };
  getUserByAccount: { args: AccountKey; result: AdapterUser | null };
  getUserByCredentials: { args: { credentials: Record<string, unknown> }; result: AdapterUser | null };
  updateUser: { args: Partial<AdapterUser> & { id: string }; result: AdapterUser };
  deleteUser: { args: { id: string }; result: AdapterUser | null };
  linkAccount: { args: AdapterAccount; result: AdapterAccount };
  unlinkAccount: { args: AccountKey; result: AdapterAccount | null };
  getAccount: { args: AccountKey; result: AdapterAccount | null };
  createSession: { args: AdapterSession; result: AdapterSession };
  getSessionAndUser: { args: { sessionToken: string }; result: SessionAndUser | null };
  updateSession: { args: Partial<AdapterSession> & { sessionToken: string }; result: AdapterSession | null };
  deleteSession: { args: { sessionToken: string }; result: AdapterSession | null };
  /** A user's live sessions; `currentSessionToken` marks the caller's own. Never returns a token. */
  listSessionsByUserId: { args: { userId: string; currentSessionToken?: string }; result: ListedSession[] };
  /** Deletes a user's sessions, all but `exceptSessionToken` when given; returns how many went. */
  deleteSessionsByUserId: { args: { userId: string; exceptSessionToken?: string }; result: number };
  createVerificationToken: { args: VerificationToken; result: VerificationToken };
  useVerificationToken: { args: { identifier: string; token: string }; result: VerificationToken | null };
  getVerificationToken: { args: { identifier: string; token: string }; result: VerificationToken | null };
  deleteVerificationToken: { args: { identifier: string; token: string }; result: VerificationToken | null };
  createAuthenticator: { args: AdapterAuthenticator; result: AdapterAuthenticator };
  getAuthenticator: { args: { credentialID: string }; result: AdapterAuthenticator | null };
  listAuthenticatorsByUserId: { args: { userId: string }; result: AdapterAuthenticator[] };
  updateAuthenticatorCounter: { args: { credentialID: string; counter: number }; result: AdapterAuthenticator };
}

export type OperationName = keyof OperationMap;
export type ArgsOf<N extends OperationName> = OperationMap[N]["args"];
export type ResultOf<N extends OperationName> = OperationMap[N]["result"];

/** Every canonical operation, in a stable order. */
export const OPERATION_NAMES = [
  "createUser",
  "getUser",
  "getUserByEmail",
  "getUserByAccount",
  "getUserByCredentials",
  "updateUser",
  "deleteUser",
  "linkAccount",
  "unlinkAccount",
  "getAccount",
  "createSession",
  "getSessionAndUser",
  "updateSession",
  "deleteSession",
  "listSessionsByUserId",
  "deleteSessionsByUserId",
  "createVerificationToken",
  "useVerificationToken",
  "getVerificationToken",
  "deleteVerificationToken",
  "createAuthenticator",
  "getAuthenticator",
  "listAuthenticatorsByUserId",
  "updateAuthenticatorCounter",
] as const satisfies readonly OperationName[];

/** Which consumer called: the Auth.js facade, the NextAuth v3 facade, or code calling `kit.call`. */
export type Facade = "authjs" | "legacy" | "direct";

/** What a plugin sees of one call. Plugins may replace `args` before calling `next()`. */
export interface OperationContext<N extends OperationName = OperationName> {
  readonly operation: N;
  args: ArgsOf<N>;
  readonly facade: Facade;
  /** Per-call facts a facade passes down, e.g. the v3 `secret` used to hash e-mail tokens. */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** An operation service: one class per canonical operation, depending on store ports only. */
export interface AdapterOperation<N extends OperationName = OperationName> {
  execute(args: ArgsOf<N>, ctx: OperationContext<N>): Promise<ResultOf<N>>;
}

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === "string" && (OPERATION_NAMES as readonly string[]).includes(name);
}
