import { randomBytes } from "node:crypto";
import { AdapterError, type AuthjsAdapter } from "../../src";
import { leakedBy } from "./errorRenderings";

/** A value a caller passes, unique enough that finding it anywhere means it leaked. */
export const secret = (label: string) => `${label}-${randomBytes(16).toString("hex")}`;
export const secretEmail = () => `${secret("mail")}@leaks.example`;

/** The error `call` rejects with, after checking its code and that none of `secrets` leaks through it. */
export async function refusal(call: () => Promise<unknown>, code: string, secrets: string[]): Promise<AdapterError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdapterError);
  expect({ code: (error as AdapterError).code, leaked: leakedBy(error, secrets) }).toEqual({ code, leaked: [] });
  return error as AdapterError;
}

/**
 * Auth.js writes a unique key refuses (same e-mail, same session token, same provider account):
 * each is CONFLICT and nothing passed in leaks. Returns the e-mail and the account id it used.
 */
export async function authjsConflictsLeakNothing(a: AuthjsAdapter, userId: string): Promise<{ mail: string; providerAccountId: string }> {
  const inAMinute = () => new Date(Date.now() + 60_000);
  const mail = secretEmail();
  await a.createUser({ email: mail, emailVerified: null });
  await refusal(() => a.createUser({ email: mail, emailVerified: null, name: "again" }), "CONFLICT", [mail]);

  const sessionToken = secret("session");
  await a.createSession({ sessionToken, userId, expires: inAMinute() });
  await refusal(() => a.createSession({ sessionToken, userId, expires: inAMinute() }), "CONFLICT", [sessionToken]);

  const account = { userId, type: "oauth" as const, provider: "github", providerAccountId: secret("gh") };
  await a.linkAccount({ ...account, access_token: secret("at") });
  const tokens = { access_token: secret("gho"), refresh_token: secret("ghr"), id_token: secret("idt") };
  await refusal(() => a.linkAccount({ ...account, ...tokens }), "CONFLICT", Object.values(tokens));
  return { mail, providerAccountId: account.providerAccountId };
}
