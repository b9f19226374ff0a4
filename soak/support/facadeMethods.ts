/**
 * Every method of both facades (kit.authjs and the v3 methods from kit.legacy.getAdapter), with
 * a fast-check arbitrary for its positional arguments and the shape of a normal result.
 */
import fc from "fast-check";
import type { AdapterKit, LegacyAppOptions } from "../../src";
import { anyValue, dateField, field, hostileRecord, wrongType } from "./hostileValues";

/** Rows of the campaign's own that generated calls may target (so updates and deletes find something). */
export interface TargetPool {
  userIds: string[];
  sessionTokens: string[];
  providerAccountIds: string[];
  credentialIDs: string[];
  identifiers: string[];
}

type Shape = "user" | "account" | "session" | "sessionAndUser" | "token" | "authenticator" | "authenticators" | "void" | "methods";
/** The shape of a normal result; `?` allows null (and undefined). */
export type ResultShape = Shape | `${Shape}?`;

export interface FacadeMethod {
  facade: "authjs" | "legacy";
  name: string;
  args: fc.Arbitrary<unknown[]>;
  /** Calls the method on `kit` (the v3 methods come from `getAdapter(args[0])`). */
  call(kit: AdapterKit, args: unknown[]): Promise<unknown>;
  result: ResultShape;
}

/** A v3 e-mail provider: normal, failing to send, or hostile. */
const provider = fc.oneof(
  fc.constant({ maxAge: 3600, sendVerificationRequest: () => undefined }),
  fc.constant({
    maxAge: 3600,
    sendVerificationRequest: () => {
      throw new Error("smtp down");
    },
  }),
  fc.record({ maxAge: anyValue, sendVerificationRequest: fc.constant(() => undefined) }),
  wrongType,
);

/** v3 appOptions: usual, odd numbers, or hostile (including a logger that is not one). */
const appOptions: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant({ secret: "soak-secret" }), weight: 4 },
  { arbitrary: fc.record({ secret: anyValue, session: fc.record({ maxAge: anyValue, updateAge: anyValue }), baseUrl: anyValue }, { requiredKeys: [] }), weight: 2 },
  { arbitrary: fc.record({ secret: fc.constant("soak-secret"), logger: fc.oneof(wrongType, fc.constant({ error: "not a function" }), fc.constant({ error: () => undefined })) }), weight: 1 },
  { arbitrary: wrongType, weight: 1 },
);

/** Both facades' methods, with string fields drawn from `strings` (hostile strings, or only SQL payloads). */
export function facadeMethods(strings: fc.Arbitrary<string>, pool: TargetPool): FacadeMethod[] {
  const s = field(strings);
  const pick = (values: string[]) => (values.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 2 }, { arbitrary: s, weight: 3 }) : s);
  const userId = pick(pool.userIds);
  const sessionToken = pick(pool.sessionTokens);
  const providerAccountId = pick(pool.providerAccountIds);
  const credentialID = pick(pool.credentialIDs);
  const identifier = pick(pool.identifiers);
  const providerName = fc.oneof(fc.constant("github"), s);
  const accountType = fc.oneof(fc.constantFrom("oauth", "oidc", "email", "webauthn"), s);
  const integer = fc.oneof({ arbitrary: fc.integer(), weight: 3 }, { arbitrary: fc.maxSafeInteger(), weight: 1 }, { arbitrary: anyValue, weight: 1 });
  const user = hostileRecord({ id: userId, email: s, name: s, image: s, emailVerified: dateField, role: anyValue });
  const accountKey = hostileRecord({ provider: providerName, providerAccountId });
  const account = hostileRecord({
    userId,
    type: accountType,
    provider: providerName,
    providerAccountId,
    access_token: s,
    refresh_token: s,
    id_token: s,
    expires_at: integer,
    token_type: s,
    scope: s,
    session_state: s,
    custom: anyValue,
  });
  const session = hostileRecord({ sessionToken, userId, expires: dateField, accessToken: s });
  const verificationToken = hostileRecord({ identifier, token: s, expires: dateField });
  const authenticator = hostileRecord({
    credentialID,
    userId,
    providerAccountId: s,
    credentialPublicKey: s,
    counter: integer,
    credentialBackedUp: fc.oneof(fc.boolean(), anyValue),
    credentialDeviceType: s,
    transports: s,
  });
  const secret = fc.oneof(fc.constant("soak-secret"), fc.constant(undefined), s);

  const authjs = (name: string, args: fc.Arbitrary<unknown[]>, result: ResultShape): FacadeMethod => ({
    facade: "authjs",
    name,
    args,
    result,
    call: (kit, a) => (kit.authjs as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[name]!(...a),
  });
  /** v3 methods: args[0] is the appOptions handed to getAdapter, the rest go to the method. */
  const legacy = (name: string, args: fc.Arbitrary<unknown[]>, result: ResultShape): FacadeMethod => ({
    facade: "legacy",
    name,
    args: fc.tuple(appOptions, args).map(([options, rest]) => [options, ...rest]),
    result,
    call: async (kit, [options, ...a]) => {
      const methods = (await kit.legacy.getAdapter(options as LegacyAppOptions)) as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>;
      return methods[name]!(...a);
    },
  });

  return [
    authjs("createUser", fc.tuple(user), "user"),
    authjs("getUser", fc.tuple(userId), "user?"),
    authjs("getUserByEmail", fc.tuple(s), "user?"),
    authjs("getUserByAccount", fc.tuple(accountKey), "user?"),
    authjs("updateUser", fc.tuple(user), "user"),
    authjs("deleteUser", fc.tuple(userId), "user?"),
    authjs("linkAccount", fc.tuple(account), "account"),
    authjs("unlinkAccount", fc.tuple(accountKey), "account?"),
    authjs("getAccount", fc.tuple(providerAccountId, providerName), "account?"),
    authjs("createSession", fc.tuple(session), "session"),
    authjs("getSessionAndUser", fc.tuple(sessionToken), "sessionAndUser?"),
    authjs("updateSession", fc.tuple(session), "session?"),
    authjs("deleteSession", fc.tuple(sessionToken), "session?"),
    authjs("createVerificationToken", fc.tuple(verificationToken), "token"),
    authjs("useVerificationToken", fc.tuple(hostileRecord({ identifier, token: s })), "token?"),
    authjs("createAuthenticator", fc.tuple(authenticator), "authenticator"),
    authjs("getAuthenticator", fc.tuple(credentialID), "authenticator?"),
    authjs("listAuthenticatorsByUserId", fc.tuple(userId), "authenticators"),
    authjs("updateAuthenticatorCounter", fc.tuple(credentialID, integer), "authenticator"),
    {
      facade: "legacy",
      name: "getAdapter",
      args: fc.tuple(appOptions),
      result: "methods",
      call: (kit, [options]) => kit.legacy.getAdapter(options as LegacyAppOptions),
    },
    legacy("createUser", fc.tuple(hostileRecord({ name: s, email: s, image: s, emailVerified: anyValue })), "user"),
    legacy("getUser", fc.tuple(fc.oneof(userId, fc.integer())), "user?"),
    legacy("getUserByEmail", fc.tuple(s), "user?"),
    legacy("getUserByProviderAccountId", fc.tuple(providerName, fc.oneof(providerAccountId, fc.integer())), "user?"),
    legacy("getUserByCredentials", fc.tuple(fc.oneof(hostileRecord({ username: s, password: s }), anyValue)), "user?"),
    legacy("updateUser", fc.tuple(user), "user"),
    legacy("deleteUser", fc.tuple(userId), "void"),
    legacy("linkAccount", fc.tuple(userId, providerName, accountType, providerAccountId, s, s, fc.oneof(dateField, integer)), "account"),
    legacy("unlinkAccount", fc.tuple(userId, providerName, providerAccountId), "void"),
    legacy("createSession", fc.tuple(fc.oneof(hostileRecord({ id: userId }), anyValue)), "session"),
    legacy("getSession", fc.tuple(sessionToken), "session?"),
    legacy("updateSession", fc.tuple(session, fc.oneof(fc.boolean(), anyValue)), "session?"),
    legacy("deleteSession", fc.tuple(sessionToken), "void"),
    legacy("createVerificationRequest", fc.tuple(identifier, s, s, secret, provider), "token"),
    legacy("getVerificationRequest", fc.tuple(identifier, s, secret, provider), "token?"),
    legacy("deleteVerificationRequest", fc.tuple(identifier, s, secret, provider), "void"),
  ];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const hasString = (v: unknown, key: string) => isObject(v) && typeof v[key] === "string";

/** True when `value` is what a normal call of a method with this result shape returns. */
export function normalResult(shape: ResultShape, value: unknown): boolean {
  const optional = shape.endsWith("?");
  if (optional && (value === null || value === undefined)) return true;
  switch (shape.replace("?", "") as Shape) {
    case "user":
      return hasString(value, "id");
    case "account":
      return hasString(value, "provider") && hasString(value, "providerAccountId") && hasString(value, "userId");
    case "session":
      return hasString(value, "sessionToken") && isObject(value) && value.expires instanceof Date;
    case "sessionAndUser":
      return isObject(value) && hasString(value.session, "sessionToken") && hasString(value.user, "id");
    case "token":
      return hasString(value, "identifier") && hasString(value, "token") && isObject(value) && value.expires instanceof Date;
    case "authenticator":
      return hasString(value, "credentialID") && hasString(value, "userId");
    case "authenticators":
      return Array.isArray(value) && value.every((a) => hasString(a, "credentialID"));
    case "void":
      return value === undefined;
    case "methods":
      return isObject(value) && typeof value.getSession === "function";
    default:
      return false;
  }
}
