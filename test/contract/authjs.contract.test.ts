import { randomBytes } from "node:crypto";
import { AdapterError, type AdapterKit, type AdapterAuthenticator, type AdapterUser } from "../../src";

type UserWithRole = AdapterUser & { role?: string | null };
import { prepareStoreSet, STORE_SET_NAMES, uniqueEmail, type StoreSetFixture } from "../support/storeSets";

const token = () => randomBytes(16).toString("hex");
const inMs = (ms: number) => new Date(Date.now() + ms);
/** A date with a non-zero millisecond part, to prove millisecond precision survives the store. */
const msDate = (offsetMs: number) => new Date(Math.floor((Date.now() + offsetMs) / 1000) * 1000 + 123);

describe.each(STORE_SET_NAMES)("Auth.js adapter contract on %s", (storeSet) => {
  let fixture: StoreSetFixture;
  let release: () => Promise<void>;
  let kit: AdapterKit;

  beforeAll(async () => {
    ({ fixture, release } = await prepareStoreSet(storeSet));
    kit = fixture.kit({ entities: { properties: { user: { role: { type: "string", nullable: true } } } } });
  });
  afterAll(() => release());

  const adapter = () => kit.authjs;
  const newUser = async (extra: Record<string, unknown> = {}) =>
    adapter().createUser({ email: uniqueEmail(), emailVerified: msDate(0), name: "Ada", image: "https://img.example/a.png", ...extra });

  describe("users", () => {
    test("createUser returns the user with an id; getUser and getUserByEmail read it back", async () => {
      const email = uniqueEmail();
      const verified = msDate(-5000);
      const user = await adapter().createUser({ email, emailVerified: verified, name: "Grace" });
      expect(typeof user.id).toBe("string");
      expect(user).toMatchObject({ email, name: "Grace", emailVerified: verified });
      expect(await adapter().getUser(user.id)).toEqual(user);
      expect(await adapter().getUserByEmail(email)).toEqual(user);
    });

    test("emailVerified keeps its milliseconds", async () => {
      const verified = msDate(-1);
      const user = await newUser({ emailVerified: verified });
      const read = await adapter().getUser(user.id);
      expect(read!.emailVerified!.getTime()).toBe(verified.getTime());
    });

    test("unknown ids and emails return null", async () => {
      expect(await adapter().getUser("no-such-user")).toBeNull();
      expect(await adapter().getUser("00000000-0000-0000-0000-000000000000")).toBeNull();
      expect(await adapter().getUserByEmail("nobody@example.com")).toBeNull();
      expect(await adapter().getUserByAccount({ provider: "github", providerAccountId: "nope" })).toBeNull();
      expect(await adapter().getAccount("nope", "github")).toBeNull();
      expect(await adapter().getSessionAndUser("no-such-session")).toBeNull();
      expect(await adapter().useVerificationToken({ identifier: "x@example.com", token: "nope" })).toBeNull();
      expect(await adapter().getAuthenticator("no-such-credential")).toBeNull();
      expect(await adapter().listAuthenticatorsByUserId("no-such-user")).toEqual([]);
    });

    test("a custom user field round-trips through createUser, getUser and getSessionAndUser", async () => {
      const user = (await newUser({ role: "admin" })) as UserWithRole;
      expect(user.role).toBe("admin");
      expect(((await adapter().getUser(user.id)) as UserWithRole).role).toBe("admin");
      const sessionToken = token();
      await adapter().createSession({ sessionToken, userId: user.id, expires: inMs(60_000) });
      expect(((await adapter().getSessionAndUser(sessionToken))!.user as UserWithRole).role).toBe("admin");
    });

    test("updateUser changes the given fields and returns the whole user", async () => {
      const user = await newUser();
      const updated = await adapter().updateUser({ id: user.id, name: "Lovelace" });
      expect(updated).toEqual({ ...user, name: "Lovelace" });
      expect(await adapter().getUser(user.id)).toEqual(updated);
    });

    test("updateUser of an unknown user fails with NOT_FOUND", async () => {
      await expect(adapter().updateUser({ id: "no-such-user", name: "x" })).rejects.toMatchObject({ code: "NOT_FOUND", operation: "updateUser" });
    });

    test("two users with one email: the second fails with CONFLICT", async () => {
      const email = uniqueEmail();
      await adapter().createUser({ email, emailVerified: null });
      const error = await adapter().createUser({ email, emailVerified: null }).catch((e) => e);
      expect(error).toBeInstanceOf(AdapterError);
      expect(error).toMatchObject({ code: "CONFLICT", operation: "createUser" });
    });

    test("deleteUser removes the user with its sessions, accounts and authenticators", async () => {
      const user = await newUser();
      const sessionToken = token();
      await adapter().createSession({ sessionToken, userId: user.id, expires: inMs(60_000) });
      const providerAccountId = token();
      await adapter().linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId });
      const credentialID = token();
      await adapter().createAuthenticator(authenticator(credentialID, user.id));

      await adapter().deleteUser(user.id);

      expect(await adapter().getUser(user.id)).toBeNull();
      expect(await adapter().getSessionAndUser(sessionToken)).toBeNull();
      expect(await adapter().getAccount(providerAccountId, "github")).toBeNull();
      expect(await adapter().getAuthenticator(credentialID)).toBeNull();
    });
  });

  describe("accounts", () => {
    test("linkAccount, getUserByAccount, getAccount and unlinkAccount", async () => {
      const user = await newUser();
      const account = {
        userId: user.id,
        type: "oidc" as const,
        provider: "google",
        providerAccountId: token(),
        access_token: "at-" + token(),
        refresh_token: "rt-" + token(),
        id_token: "it-" + token(),
        expires_at: 1_900_000_000,
        token_type: "bearer" as const,
        scope: "openid email",
        session_state: "state",
      };
      expect(await adapter().linkAccount(account)).toMatchObject(account);
      expect(await adapter().getUserByAccount({ provider: "google", providerAccountId: account.providerAccountId })).toEqual(user);
      expect(await adapter().getAccount(account.providerAccountId, "google")).toMatchObject(account);

      const removed = await adapter().unlinkAccount({ provider: "google", providerAccountId: account.providerAccountId });
      expect(removed).toMatchObject({ provider: "google", providerAccountId: account.providerAccountId });
      expect(await adapter().getUserByAccount({ provider: "google", providerAccountId: account.providerAccountId })).toBeNull();
      expect(await adapter().unlinkAccount({ provider: "google", providerAccountId: account.providerAccountId })).toBeUndefined();
    });

    test("the same provider account linked twice fails with CONFLICT", async () => {
      const user = await newUser();
      const link = { userId: user.id, type: "oauth" as const, provider: "github", providerAccountId: token() };
      await adapter().linkAccount(link);
      await expect(adapter().linkAccount(link)).rejects.toMatchObject({ code: "CONFLICT", operation: "linkAccount" });
    });
  });

  describe("sessions", () => {
    test("createSession, getSessionAndUser, updateSession and deleteSession", async () => {
      const user = await newUser();
      const sessionToken = token();
      const expires = msDate(3_600_000);
      expect(await adapter().createSession({ sessionToken, userId: user.id, expires })).toEqual({ sessionToken, userId: user.id, expires });

      const found = await adapter().getSessionAndUser(sessionToken);
      expect(found).toEqual({ session: { sessionToken, userId: user.id, expires }, user });
      expect(found!.session.expires.getTime()).toBe(expires.getTime());

      const later = msDate(7_200_000);
      expect(await adapter().updateSession({ sessionToken, expires: later })).toEqual({ sessionToken, userId: user.id, expires: later });
      expect((await adapter().getSessionAndUser(sessionToken))!.session.expires.getTime()).toBe(later.getTime());

      expect(await adapter().deleteSession(sessionToken)).toMatchObject({ sessionToken });
      expect(await adapter().getSessionAndUser(sessionToken)).toBeNull();
      expect(await adapter().updateSession({ sessionToken, expires: later })).toBeNull();
    });

    test("an expired session is never returned, and is removed", async () => {
      const user = await newUser();
      const sessionToken = token();
      await adapter().createSession({ sessionToken, userId: user.id, expires: inMs(-1000) });
      expect(await adapter().getSessionAndUser(sessionToken)).toBeNull();
      // Removed: extending it now finds nothing.
      expect(await adapter().updateSession({ sessionToken, expires: inMs(60_000) })).toBeNull();
    });
  });

  describe("verification tokens", () => {
    test("a token is used once: the second use returns null", async () => {
      const vt = { identifier: uniqueEmail(), token: token(), expires: msDate(600_000) };
      expect(await adapter().createVerificationToken(vt)).toEqual(vt);
      expect(await adapter().useVerificationToken({ identifier: vt.identifier, token: vt.token })).toEqual(vt);
      expect(await adapter().useVerificationToken({ identifier: vt.identifier, token: vt.token })).toBeNull();
    });

    test("a token only matches its own identifier", async () => {
      const vt = { identifier: uniqueEmail(), token: token(), expires: inMs(600_000) };
      await adapter().createVerificationToken(vt);
      expect(await adapter().useVerificationToken({ identifier: uniqueEmail(), token: vt.token })).toBeNull();
      expect(await adapter().useVerificationToken({ identifier: vt.identifier, token: vt.token })).not.toBeNull();
    });

    test("an expired token is never returned", async () => {
      const vt = { identifier: uniqueEmail(), token: token(), expires: inMs(-1000) };
      await adapter().createVerificationToken(vt);
      expect(await adapter().useVerificationToken({ identifier: vt.identifier, token: vt.token })).toBeNull();
    });

    test("8 concurrent uses of one token: exactly one wins", async () => {
      for (let round = 0; round < 5; round++) {
        const vt = { identifier: uniqueEmail(), token: token(), expires: inMs(600_000) };
        await adapter().createVerificationToken(vt);
        const results = await Promise.all(Array.from({ length: 8 }, () => adapter().useVerificationToken({ identifier: vt.identifier, token: vt.token })));
        expect(results.filter((r) => r !== null)).toHaveLength(1);
      }
    });
  });

  describe("authenticators", () => {
    test("create, get, list and update the counter", async () => {
      const user = await newUser();
      const a = authenticator(token(), user.id);
      expect(await adapter().createAuthenticator(a)).toEqual(a);
      expect(await adapter().getAuthenticator(a.credentialID)).toEqual(a);
      expect(await adapter().listAuthenticatorsByUserId(user.id)).toEqual([a]);
      expect(await adapter().updateAuthenticatorCounter(a.credentialID, 7)).toEqual({ ...a, counter: 7 });
      expect((await adapter().getAuthenticator(a.credentialID))!.counter).toBe(7);
    });

    test("a signature counter anywhere in WebAuthn's unsigned 32-bit range is stored and read back", async () => {
      const user = await newUser();
      const a = { ...authenticator(token(), user.id), counter: 2 ** 31 };
      expect(await adapter().createAuthenticator(a)).toEqual(a);
      expect((await adapter().getAuthenticator(a.credentialID))!.counter).toBe(2 ** 31);
      expect(await adapter().updateAuthenticatorCounter(a.credentialID, 2 ** 32 - 1)).toEqual({ ...a, counter: 2 ** 32 - 1 });
      expect((await adapter().listAuthenticatorsByUserId(user.id))[0]!.counter).toBe(2 ** 32 - 1);
    });

    test("a user's authenticators are listed in credential ID order, which sign-ins (counter updates) do not change", async () => {
      const user = await newUser();
      const ids = [token(), token(), token()].sort();
      for (const id of [...ids].reverse()) await adapter().createAuthenticator(authenticator(id, user.id));
      const listed = async () => (await adapter().listAuthenticatorsByUserId(user.id)).map((a) => a.credentialID);
      expect(await listed()).toEqual(ids);
      for (const id of ids) await adapter().updateAuthenticatorCounter(id, 1);
      await adapter().updateAuthenticatorCounter(ids[0]!, 2);
      expect(await listed()).toEqual(ids);
    });

    test("updating the counter of an unknown credential throws NOT_FOUND", async () => {
      await expect(adapter().updateAuthenticatorCounter("no-such-credential", 1)).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });
});

function authenticator(credentialID: string, userId: string): AdapterAuthenticator {
  return {
    credentialID,
    userId,
    providerAccountId: credentialID,
    credentialPublicKey: "pk-" + credentialID,
    counter: 0,
    credentialBackedUp: false,
    credentialDeviceType: "singleDevice",
    transports: "usb,nfc",
  };
}
