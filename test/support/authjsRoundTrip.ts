import { randomBytes } from "node:crypto";
import type { AuthjsAdapter } from "../../src";
import { uniqueEmail } from "./storeSets";

const token = () => randomBytes(16).toString("hex");
/** A date with a non-zero millisecond part, to prove millisecond precision survives the store. */
const msDate = (offsetMs: number) => new Date(Math.floor((Date.now() + offsetMs) / 1000) * 1000 + 123);

/**
 * A representative pass over the Auth.js contract (the full suite is test/contract): for a kit
 * on tables made some other way (migrations, a NextAuth v3 database). Each step asserts what a
 * consumer relies on; `authenticators: false` leaves out WebAuthn for tables that lack it.
 */
export async function authjsRoundTrip(adapter: AuthjsAdapter, options: { authenticators?: boolean } = {}): Promise<void> {
  // createUser, getUser, getUserByEmail; dates keep their milliseconds.
  const email = uniqueEmail("roundtrip");
  const user = await adapter.createUser({ email, emailVerified: msDate(-5000), name: "Ada" });
  expect(typeof user.id).toBe("string");
  expect(await adapter.getUser(user.id)).toEqual(user);
  expect(await adapter.getUserByEmail(email)).toEqual(user);
  expect(await adapter.getUser("no-such-user")).toBeNull();

  // linkAccount, getUserByAccount, getAccount.
  const account = { userId: user.id, type: "oauth" as const, provider: "github", providerAccountId: token(), access_token: "at-" + token(), expires_at: 1_900_000_000 };
  expect(await adapter.linkAccount(account)).toMatchObject(account);
  expect(await adapter.getUserByAccount({ provider: "github", providerAccountId: account.providerAccountId })).toEqual(user);
  expect(await adapter.getAccount(account.providerAccountId, "github")).toMatchObject(account);
  await expect(adapter.linkAccount(account)).rejects.toMatchObject({ code: "CONFLICT" });

  // createSession, getSessionAndUser, updateSession, deleteSession.
  const sessionToken = token();
  const expires = msDate(3_600_000);
  expect(await adapter.createSession({ sessionToken, userId: user.id, expires })).toMatchObject({ sessionToken, userId: user.id, expires });
  const found = await adapter.getSessionAndUser(sessionToken);
  expect(found?.user).toEqual(user);
  expect(found?.session).toMatchObject({ sessionToken, userId: user.id });
  expect(found!.session.expires.getTime()).toBe(expires.getTime());
  const later = msDate(7_200_000);
  expect((await adapter.updateSession({ sessionToken, expires: later }))!.expires.getTime()).toBe(later.getTime());
  await adapter.deleteSession(sessionToken);
  expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();

  // Verification tokens are single use, also under concurrency.
  const vt = { identifier: email, token: token(), expires: msDate(600_000) };
  expect(await adapter.createVerificationToken(vt)).toEqual(vt);
  const uses = await Promise.all(Array.from({ length: 4 }, () => adapter.useVerificationToken({ identifier: vt.identifier, token: vt.token })));
  expect(uses.filter((u) => u !== null)).toEqual([vt]);

  // Authenticators.
  const credentialID = token();
  if (options.authenticators !== false) {
    const authenticator = {
      credentialID,
      userId: user.id,
      providerAccountId: credentialID,
      credentialPublicKey: "pk",
      counter: 0,
      credentialBackedUp: false,
      credentialDeviceType: "singleDevice",
      transports: "usb",
    };
    expect(await adapter.createAuthenticator(authenticator)).toEqual(authenticator);
    expect(await adapter.updateAuthenticatorCounter(credentialID, 3)).toEqual({ ...authenticator, counter: 3 });
    expect(await adapter.listAuthenticatorsByUserId(user.id)).toEqual([{ ...authenticator, counter: 3 }]);
  }

  // deleteUser takes the user's sessions, accounts and authenticators with it.
  const second = token();
  await adapter.createSession({ sessionToken: second, userId: user.id, expires: msDate(60_000) });
  await adapter.deleteUser(user.id);
  expect(await adapter.getUser(user.id)).toBeNull();
  expect(await adapter.getSessionAndUser(second)).toBeNull();
  expect(await adapter.getAccount(account.providerAccountId, "github")).toBeNull();
  if (options.authenticators !== false) expect(await adapter.getAuthenticator(credentialID)).toBeNull();
}
