import { AdapterError, type AdapterKit } from "../../../src";

/** Words from connection errors: text a kit that matched messages would have taken for a lost connection. */
export const CONNECTION_WORDS = ["aborted", "Connection terminated unexpectedly", "ECONNRESET", "timeout", "terminating connection due to administrator command"];

/** Each word plain, overlong (longer than any column), and with a NUL byte. */
export function hostileValues(): string[] {
  return CONNECTION_WORDS.flatMap((word) => [word, `${word} ${"x".repeat(400)}`, `${word}\u0000${word}`]);
}

/** Outcomes a call with hostile input may legitimately have: an answer, or one of these typed refusals. */
export const ACCEPTED_CODES = new Set(["INVALID_INPUT", "CONFLICT", "NOT_FOUND"]);

export type Call = [name: string, run: () => Promise<unknown>];

/** Every operation of both facades with `h` in its string arguments. `userId` is an existing user. */
export async function everyOperation(kit: AdapterKit, h: string, userId: string): Promise<Call[]> {
  const a = kit.authjs;
  const v3 = await kit.legacy.getAdapter({ secret: "hostile-secret", session: { maxAge: 60 } });
  const expires = new Date(Date.now() + 60_000);
  const provider = { maxAge: 60, sendVerificationRequest: async () => undefined };
  return [
    ["authjs.createUser", () => a.createUser({ email: `${h}@example.com`, emailVerified: null, name: h })],
    ["authjs.getUser", () => a.getUser(h)],
    ["authjs.getUserByEmail", () => a.getUserByEmail(h)],
    ["authjs.getUserByAccount", () => a.getUserByAccount({ provider: h, providerAccountId: h })],
    ["authjs.updateUser", () => a.updateUser({ id: userId, name: h, image: h })],
    ["authjs.updateUser(unknown id)", () => a.updateUser({ id: h, name: "x" })],
    ["authjs.deleteUser", () => a.deleteUser(h)],
    ["authjs.linkAccount", () => a.linkAccount({ userId, type: "oauth", provider: h, providerAccountId: h, access_token: h, refresh_token: h, id_token: h, scope: h })],
    ["authjs.getAccount", () => a.getAccount!(h, h)],
    ["authjs.unlinkAccount", () => a.unlinkAccount!({ provider: h, providerAccountId: h })],
    ["authjs.createSession", () => a.createSession({ sessionToken: h, userId, expires })],
    ["authjs.getSessionAndUser", () => a.getSessionAndUser(h)],
    ["authjs.updateSession", () => a.updateSession({ sessionToken: h, expires })],
    ["authjs.deleteSession", () => a.deleteSession(h)],
    ["authjs.createVerificationToken", () => a.createVerificationToken!({ identifier: h, token: h, expires })],
    ["authjs.useVerificationToken", () => a.useVerificationToken!({ identifier: h, token: h })],
    [
      "authjs.createAuthenticator",
      () =>
        a.createAuthenticator!({
          credentialID: h,
          userId,
          providerAccountId: h,
          credentialPublicKey: h,
          counter: 0,
          credentialDeviceType: h,
          credentialBackedUp: false,
          transports: h,
        }),
    ],
    ["authjs.getAuthenticator", () => a.getAuthenticator!(h)],
    ["authjs.listAuthenticatorsByUserId", () => a.listAuthenticatorsByUserId!(h)],
    ["authjs.updateAuthenticatorCounter", () => a.updateAuthenticatorCounter!(h, 1)],
    ["legacy.createUser", () => v3.createUser({ name: h, email: `${h}@v3.example`, image: h })],
    ["legacy.getUser", () => v3.getUser(h)],
    ["legacy.getUserByEmail", () => v3.getUserByEmail(h)],
    ["legacy.getUserByProviderAccountId", () => v3.getUserByProviderAccountId(h, h)],
    ["legacy.updateUser", () => v3.updateUser({ id: userId, name: h })],
    ["legacy.deleteUser", () => v3.deleteUser(h)],
    ["legacy.linkAccount", () => v3.linkAccount(userId, h, "oauth", h, h, h, null)],
    ["legacy.unlinkAccount", () => v3.unlinkAccount(userId, h, h)],
    ["legacy.createSession", () => v3.createSession({ id: h })],
    ["legacy.getSession", () => v3.getSession(h)],
    ["legacy.updateSession", () => v3.updateSession({ sessionToken: h, userId, expires }, true)],
    ["legacy.deleteSession", () => v3.deleteSession(h)],
    ["legacy.createVerificationRequest", () => v3.createVerificationRequest(h, "https://app.example/cb", h, undefined, provider)],
    ["legacy.getVerificationRequest", () => v3.getVerificationRequest(h, h, undefined, provider)],
    ["legacy.deleteVerificationRequest", () => v3.deleteVerificationRequest(h, h, undefined, provider)],
  ];
}

/** Runs every call; returns those whose outcome was neither an answer nor an accepted typed refusal. */
export async function unexpectedOutcomes(calls: Call[], label: string): Promise<string[]> {
  const wrong: string[] = [];
  for (const [name, run] of calls) {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof AdapterError) || !ACCEPTED_CODES.has(error.code)) {
        wrong.push(`${name} [${label.slice(0, 40)}]: ${error instanceof AdapterError ? error.code : String(error)}`);
      }
    }
  }
  return wrong;
}
