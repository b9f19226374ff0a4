import type { Pipeline } from "../../kernel/Pipeline";
import { Checks } from "../../validation/checks";
import type {
  AccountKey,
  AdapterAccount,
  AdapterAuthenticator,
  AdapterSession,
  AdapterUser,
  NewUser,
  SessionAndUser,
  VerificationToken,
} from "../../types";

/** The modern adapter (next-auth v4, Auth.js v5): assignable to `Adapter` from `@auth/core/adapters`. */
export interface AuthjsAdapter {
  createUser(user: NewUser): Promise<AdapterUser>;
  getUser(id: string): Promise<AdapterUser | null>;
  getUserByEmail(email: string): Promise<AdapterUser | null>;
  getUserByAccount(key: AccountKey): Promise<AdapterUser | null>;
  updateUser(user: Partial<AdapterUser> & Pick<AdapterUser, "id">): Promise<AdapterUser>;
  deleteUser(userId: string): Promise<AdapterUser | null>;
  linkAccount(account: AdapterAccount): Promise<AdapterAccount>;
  unlinkAccount(key: AccountKey): Promise<AdapterAccount | undefined>;
  getAccount(providerAccountId: string, provider: string): Promise<AdapterAccount | null>;
  createSession(session: { sessionToken: string; userId: string; expires: Date }): Promise<AdapterSession>;
  getSessionAndUser(sessionToken: string): Promise<SessionAndUser | null>;
  updateSession(session: Partial<AdapterSession> & Pick<AdapterSession, "sessionToken">): Promise<AdapterSession | null>;
  deleteSession(sessionToken: string): Promise<AdapterSession | null>;
  createVerificationToken(token: VerificationToken): Promise<VerificationToken>;
  useVerificationToken(params: { identifier: string; token: string }): Promise<VerificationToken | null>;
  createAuthenticator(authenticator: AdapterAuthenticator): Promise<AdapterAuthenticator>;
  getAuthenticator(credentialID: string): Promise<AdapterAuthenticator | null>;
  listAuthenticatorsByUserId(userId: string): Promise<AdapterAuthenticator[]>;
  updateAuthenticatorCounter(credentialID: string, newCounter: number): Promise<AdapterAuthenticator>;
}

/** Picks the two key fields: the core passes whole account objects where only the key matters. */
const accountKey = (key: AccountKey): AccountKey => (key && typeof key === "object" ? { provider: key.provider, providerAccountId: key.providerAccountId } : key);

/** Translates Auth.js's positional calls into canonical operations; no behaviour of its own. */
export function createAuthjsAdapter(pipeline: Pipeline): AuthjsAdapter {
  const run = pipeline.invoke.bind(pipeline);
  return {
    // Auth.js users always have an e-mail (its AdapterUser says `email: string`); only v3 made users without one.
    createUser: async (user) => {
      Checks.of("createUser", user).string("email");
      return run("createUser", user, "authjs");
    },
    getUser: (id) => run("getUser", { id }, "authjs"),
    getUserByEmail: (email) => run("getUserByEmail", { email }, "authjs"),
    getUserByAccount: (key) => run("getUserByAccount", accountKey(key), "authjs"),
    updateUser: (user) => run("updateUser", user, "authjs"),
    deleteUser: (id) => run("deleteUser", { id }, "authjs"),
    linkAccount: (account) => run("linkAccount", account, "authjs"),
    unlinkAccount: async (key) => (await run("unlinkAccount", accountKey(key), "authjs")) ?? undefined,
    getAccount: (providerAccountId, provider) => run("getAccount", { provider, providerAccountId }, "authjs"),
    createSession: (session) => run("createSession", session, "authjs"),
    getSessionAndUser: (sessionToken) => run("getSessionAndUser", { sessionToken }, "authjs"),
    updateSession: (session) => run("updateSession", session, "authjs"),
    deleteSession: (sessionToken) => run("deleteSession", { sessionToken }, "authjs"),
    createVerificationToken: (token) => run("createVerificationToken", token, "authjs"),
    useVerificationToken: (params) =>
      run("useVerificationToken", params && typeof params === "object" ? { identifier: params.identifier, token: params.token } : params, "authjs"),
    createAuthenticator: (authenticator) => run("createAuthenticator", authenticator, "authjs"),
    getAuthenticator: (credentialID) => run("getAuthenticator", { credentialID }, "authjs"),
    listAuthenticatorsByUserId: (userId) => run("listAuthenticatorsByUserId", { userId }, "authjs"),
    updateAuthenticatorCounter: (credentialID, counter) => run("updateAuthenticatorCounter", { credentialID, counter }, "authjs"),
  };
}
