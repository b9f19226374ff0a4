import { operationId } from "../kernel/identifiers";
import type { Checks } from "../validation/checks";
import type {
  AccountKey,
  AdapterAccount,
  AdapterAuthenticator,
  AdapterSession,
  AdapterUser,
  ListedSession,
  NewUser,
  SessionAndUser,
  VerificationToken,
} from "../types";
import { CreateAuthenticator } from "./CreateAuthenticator";
import { CreateSession } from "./CreateSession";
import { CreateUser } from "./CreateUser";
import { CreateVerificationToken } from "./CreateVerificationToken";
import { DeleteSession } from "./DeleteSession";
import { DeleteSessionsByUserId } from "./DeleteSessionsByUserId";
import { DeleteUser } from "./DeleteUser";
import { DeleteVerificationToken } from "./DeleteVerificationToken";
import { GetAccount } from "./GetAccount";
import { GetAuthenticator } from "./GetAuthenticator";
import { GetSessionAndUser } from "./GetSessionAndUser";
import { GetUser } from "./GetUser";
import { GetUserByAccount } from "./GetUserByAccount";
import { GetUserByCredentials } from "./GetUserByCredentials";
import { GetUserByEmail } from "./GetUserByEmail";
import { GetVerificationToken } from "./GetVerificationToken";
import { LinkAccount } from "./LinkAccount";
import { ListAuthenticatorsByUserId } from "./ListAuthenticatorsByUserId";
import { ListSessionsByUserId } from "./ListSessionsByUserId";
import { UnlinkAccount } from "./UnlinkAccount";
import { UpdateAuthenticatorCounter } from "./UpdateAuthenticatorCounter";
import { UpdateSession } from "./UpdateSession";
import { UpdateUser } from "./UpdateUser";
import { UseVerificationToken } from "./UseVerificationToken";

/** How the Auth.js facade calls an operation: its positional arguments in, its result out. */
export interface AuthjsMapping<A, R, P extends unknown[] = never, X = R> {
  args(...positional: P): A;
  result?(result: R): X;
}

/** Everything the kit knows about one canonical operation. */
export interface OperationDefinition<A = unknown, R = unknown, F extends AuthjsMapping<A, R, never, unknown> | undefined = AuthjsMapping<A, R, never, unknown> | undefined> {
  /** Types only: what the operation takes and returns (never set at run time). */
  readonly signature?: (args: A) => R;
  /** The argument check: runs innermost in the pipeline, on what the operation receives. */
  readonly check: (args: Checks) => unknown;
  /** The kit's own implementation; `kit.override` replaces it. */
  readonly implementation: new (...args: never[]) => unknown;
  /** The Auth.js method of the same name, when Auth.js has one. */
  readonly authjs: F;
}

/** Any entry of the registry, as the kernel and the facades read it. */
export type AnyOperationDefinition = OperationDefinition<any, any, any>;

/** Declares one operation: `operation<Args, Result>()({ check, implementation, authjs })`. */
function operation<A, R>() {
  return <F extends AuthjsMapping<A, R, any, any> | undefined = undefined>(definition: {
    check: (args: Checks) => unknown;
    implementation: new (...args: never[]) => unknown;
    authjs?: F;
  }): OperationDefinition<A, R, F> => ({ authjs: undefined as F, ...definition });
}

/** Auth.js passes whole account objects where only the key matters. */
const accountKey = (key: AccountKey): AccountKey => (key && typeof key === "object" ? { provider: key.provider, providerAccountId: key.providerAccountId } : key);

/**
 * THE list of canonical operations: the union of what NextAuth v3, next-auth v4 and Auth.js v5
 * need, each taking one argument object. Adding an operation is one entry here (its types, its
 * check, its default implementation, its Auth.js method if any); the operation names, the
 * container identifiers, the argument checks, the default bindings and the Auth.js facade are all
 * read from this object. The NextAuth v3 facade maps v3's own methods onto these by hand.
 */
export const OPERATION_REGISTRY = {
  createUser: operation<NewUser, AdapterUser>()({
    // No e-mail is allowed on both facades: @auth/core types `email: string`, yet creates the user of
    // an OAuth provider that gives none (X, some OIDC set-ups) with `email: undefined`, as v3 did.
    check: (c) => c.optionalString("email").optionalString("id").optionalDate("emailVerified").optionalString("name").optionalString("image"),
    implementation: CreateUser,
    // An empty e-mail (a provider that sends "") is no address: stored as null, or the second such user would conflict.
    authjs: { args: (user: NewUser) => (user?.email === "" ? { ...user, email: null as unknown as string } : user) },
  }),
  getUser: operation<{ id: string }, AdapterUser | null>()({
    check: (c) => c.string("id"),
    implementation: GetUser,
    authjs: { args: (id: string) => ({ id }) },
  }),
  getUserByEmail: operation<{ email: string }, AdapterUser | null>()({
    check: (c) => c.string("email"),
    implementation: GetUserByEmail,
    authjs: { args: (email: string) => ({ email }) },
  }),
  getUserByAccount: operation<AccountKey, AdapterUser | null>()({
    check: (c) => c.string("provider").string("providerAccountId"),
    implementation: GetUserByAccount,
    authjs: { args: (key: AccountKey) => accountKey(key) },
  }),
  getUserByCredentials: operation<{ credentials: Record<string, unknown> }, AdapterUser | null>()({
    check: (c) => c.object("credentials"),
    implementation: GetUserByCredentials,
  }),
  updateUser: operation<Partial<AdapterUser> & { id: string }, AdapterUser>()({
    check: (c) => c.string("id").optionalString("email").optionalDate("emailVerified").optionalString("name").optionalString("image"),
    implementation: UpdateUser,
    authjs: { args: (user: Partial<AdapterUser> & Pick<AdapterUser, "id">) => user },
  }),
  deleteUser: operation<{ id: string }, AdapterUser | null>()({
    check: (c) => c.string("id"),
    implementation: DeleteUser,
    authjs: { args: (userId: string) => ({ id: userId }) },
  }),
  linkAccount: operation<AdapterAccount, AdapterAccount>()({
    check: (c) =>
      c.string("userId").string("type").string("provider").string("providerAccountId")
        .optionalString("access_token").optionalString("refresh_token").optionalString("id_token")
        .optionalInteger("expires_at").optionalString("token_type").optionalString("scope").optionalString("session_state"),
    implementation: LinkAccount,
    authjs: { args: (account: AdapterAccount) => account },
  }),
  unlinkAccount: operation<AccountKey, AdapterAccount | null>()({
    check: (c) => c.string("provider").string("providerAccountId"),
    implementation: UnlinkAccount,
    authjs: { args: (key: AccountKey) => accountKey(key), result: (account: AdapterAccount | null) => account ?? undefined },
  }),
  getAccount: operation<AccountKey, AdapterAccount | null>()({
    check: (c) => c.string("provider").string("providerAccountId"),
    implementation: GetAccount,
    authjs: { args: (providerAccountId: string, provider: string) => ({ provider, providerAccountId }) },
  }),
  createSession: operation<AdapterSession, AdapterSession>()({
    check: (c) => c.string("sessionToken").string("userId").date("expires").optionalString("accessToken"),
    implementation: CreateSession,
    authjs: { args: (session: { sessionToken: string; userId: string; expires: Date }) => session },
  }),
  getSessionAndUser: operation<{ sessionToken: string }, SessionAndUser | null>()({
    check: (c) => c.string("sessionToken"),
    implementation: GetSessionAndUser,
    authjs: { args: (sessionToken: string) => ({ sessionToken }) },
  }),
  updateSession: operation<Partial<AdapterSession> & { sessionToken: string }, AdapterSession | null>()({
    check: (c) => c.string("sessionToken").optionalDate("expires").optionalString("userId").optionalString("accessToken"),
    implementation: UpdateSession,
    authjs: { args: (session: Partial<AdapterSession> & Pick<AdapterSession, "sessionToken">) => session },
  }),
  deleteSession: operation<{ sessionToken: string }, AdapterSession | null>()({
    check: (c) => c.string("sessionToken"),
    implementation: DeleteSession,
    authjs: { args: (sessionToken: string) => ({ sessionToken }) },
  }),
  /** A user's live sessions; `currentSessionToken` marks the caller's own. Never returns a token. No Auth.js method. */
  listSessionsByUserId: operation<{ userId: string; currentSessionToken?: string }, ListedSession[]>()({
    check: (c) => c.string("userId").optionalString("currentSessionToken"),
    implementation: ListSessionsByUserId,
  }),
  /** Deletes a user's sessions, all but `exceptSessionToken` when given; returns how many went. No Auth.js method. */
  deleteSessionsByUserId: operation<{ userId: string; exceptSessionToken?: string }, number>()({
    check: (c) => c.string("userId").optionalString("exceptSessionToken"),
    implementation: DeleteSessionsByUserId,
  }),
  createVerificationToken: operation<VerificationToken, VerificationToken>()({
    check: (c) => c.string("identifier").string("token").date("expires"),
    implementation: CreateVerificationToken,
    authjs: { args: (token: VerificationToken) => token },
  }),
  useVerificationToken: operation<{ identifier: string; token: string }, VerificationToken | null>()({
    check: (c) => c.string("identifier").string("token"),
    implementation: UseVerificationToken,
    authjs: {
      args: (params: { identifier: string; token: string }) =>
        params && typeof params === "object" ? { identifier: params.identifier, token: params.token } : params,
    },
  }),
  getVerificationToken: operation<{ identifier: string; token: string }, VerificationToken | null>()({
    check: (c) => c.string("identifier").string("token"),
    implementation: GetVerificationToken,
  }),
  deleteVerificationToken: operation<{ identifier: string; token: string }, VerificationToken | null>()({
    check: (c) => c.string("identifier").string("token"),
    implementation: DeleteVerificationToken,
  }),
  createAuthenticator: operation<AdapterAuthenticator, AdapterAuthenticator>()({
    check: (c) =>
      c.string("credentialID").string("userId").string("providerAccountId").string("credentialPublicKey")
        .integer("counter").boolean("credentialBackedUp").string("credentialDeviceType").optionalString("transports"),
    implementation: CreateAuthenticator,
    authjs: { args: (authenticator: AdapterAuthenticator) => authenticator },
  }),
  getAuthenticator: operation<{ credentialID: string }, AdapterAuthenticator | null>()({
    check: (c) => c.string("credentialID"),
    implementation: GetAuthenticator,
    authjs: { args: (credentialID: string) => ({ credentialID }) },
  }),
  listAuthenticatorsByUserId: operation<{ userId: string }, AdapterAuthenticator[]>()({
    check: (c) => c.string("userId"),
    implementation: ListAuthenticatorsByUserId,
    authjs: { args: (userId: string) => ({ userId }) },
  }),
  updateAuthenticatorCounter: operation<{ credentialID: string; counter: number }, AdapterAuthenticator>()({
    check: (c) => c.string("credentialID").integer("counter"),
    implementation: UpdateAuthenticatorCounter,
    authjs: { args: (credentialID: string, newCounter: number) => ({ credentialID, counter: newCounter }) },
  }),
};

export type OperationRegistry = typeof OPERATION_REGISTRY;
type Name = keyof OperationRegistry;

/** Every canonical operation, in a stable order (the registry's). */
export const OPERATION_NAMES = Object.freeze(Object.keys(OPERATION_REGISTRY)) as readonly Name[];

/** One container identifier per canonical operation: `OPERATIONS.getUserByEmail`. */
export const OPERATIONS = Object.freeze(Object.fromEntries(OPERATION_NAMES.map((name) => [name, operationId(name)]))) as Readonly<Record<Name, symbol>>;

export function isOperationName(name: unknown): name is Name {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(OPERATION_REGISTRY, name);
}
