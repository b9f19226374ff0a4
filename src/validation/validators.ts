import type { OperationName } from "../kernel/operations";
import { Checks } from "./checks";

type Validator = (args: unknown) => void;

const userKey = (op: string) => (a: unknown) => void Checks.of(op, a).string("id");
const accountKey = (op: string) => (a: unknown) => void Checks.of(op, a).string("provider").string("providerAccountId");
const sessionKey = (op: string) => (a: unknown) => void Checks.of(op, a).string("sessionToken");
const tokenKey = (op: string) => (a: unknown) => void Checks.of(op, a).string("identifier").string("token");

/** Argument checks per canonical operation, run before any plugin or query. */
export const VALIDATORS: Record<OperationName, Validator> = {
  createUser: (a) => void Checks.of("createUser", a).optionalString("id").optionalString("email").optionalDate("emailVerified").optionalString("name").optionalString("image"),
  getUser: userKey("getUser"),
  getUserByEmail: (a) => void Checks.of("getUserByEmail", a).string("email"),
  getUserByAccount: accountKey("getUserByAccount"),
  getUserByCredentials: (a) => void Checks.of("getUserByCredentials", a).object("credentials"),
  updateUser: (a) => void Checks.of("updateUser", a).string("id").optionalString("email").optionalDate("emailVerified").optionalString("name").optionalString("image"),
  deleteUser: userKey("deleteUser"),
  linkAccount: (a) =>
    void Checks.of("linkAccount", a)
      .string("userId").string("type").string("provider").string("providerAccountId")
      .optionalString("access_token").optionalString("refresh_token").optionalString("id_token")
      .optionalInteger("expires_at").optionalString("token_type").optionalString("scope").optionalString("session_state"),
  unlinkAccount: accountKey("unlinkAccount"),
  getAccount: accountKey("getAccount"),
  createSession: (a) => void Checks.of("createSession", a).string("sessionToken").string("userId").date("expires").optionalString("accessToken"),
  getSessionAndUser: sessionKey("getSessionAndUser"),
  updateSession: (a) => void Checks.of("updateSession", a).string("sessionToken").optionalDate("expires").optionalString("userId").optionalString("accessToken"),
  deleteSession: sessionKey("deleteSession"),
  listSessionsByUserId: (a) => void Checks.of("listSessionsByUserId", a).string("userId").optionalString("currentSessionToken"),
  deleteSessionsByUserId: (a) => void Checks.of("deleteSessionsByUserId", a).string("userId").optionalString("exceptSessionToken"),
  createVerificationToken: (a) => void Checks.of("createVerificationToken", a).string("identifier").string("token").date("expires"),
  useVerificationToken: tokenKey("useVerificationToken"),
  getVerificationToken: tokenKey("getVerificationToken"),
  deleteVerificationToken: tokenKey("deleteVerificationToken"),
  createAuthenticator: (a) =>
    void Checks.of("createAuthenticator", a)
      .string("credentialID").string("userId").string("providerAccountId").string("credentialPublicKey")
      .integer("counter").boolean("credentialBackedUp").string("credentialDeviceType").optionalString("transports"),
  getAuthenticator: (a) => void Checks.of("getAuthenticator", a).string("credentialID"),
  listAuthenticatorsByUserId: (a) => void Checks.of("listAuthenticatorsByUserId", a).string("userId"),
  updateAuthenticatorCounter: (a) => void Checks.of("updateAuthenticatorCounter", a).string("credentialID").integer("counter"),
};
