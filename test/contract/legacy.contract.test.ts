import { createHash } from "node:crypto";
import { inspect } from "node:util";
import type { AdapterAccount, AdapterKit, LegacyEmailProvider, LegacyMethods, VerificationToken } from "../../src";
import { prepareStoreSet, STORE_SET_NAMES, uniqueEmail, type StoreSetFixture } from "../support/storeSets";

const SECRET = "v3-secret";
const DAY_S = 24 * 60 * 60;
const sha256hex = (s: string) => createHash("sha256").update(s).digest("hex");

/** An e-mail provider like next-auth v3's, recording what it was asked to send. */
function emailProvider(maxAge = DAY_S, fail = false) {
  const sent: Array<{ identifier: string; url: string; token: string; baseUrl: string | undefined }> = [];
  const provider: LegacyEmailProvider = {
    id: "email",
    type: "email",
    maxAge,
    async sendVerificationRequest({ identifier, url, token, baseUrl }) {
      if (fail) throw new Error("SMTP is down");
      sent.push({ identifier, url, token, baseUrl });
    },
  };
  return { provider, sent };
}

describe.each(STORE_SET_NAMES)("NextAuth v3 adapter contract on %s", (storeSet) => {
  let fixture: StoreSetFixture;
  let release: () => Promise<void>;
  let kit: AdapterKit;
  let v3: LegacyMethods;
  const appOptions = { secret: SECRET, baseUrl: "https://app.example", session: { maxAge: 30 * DAY_S, updateAge: DAY_S } };

  beforeAll(async () => {
    ({ fixture, release } = await prepareStoreSet(storeSet));
    kit = fixture.kit();
    v3 = await kit.legacy.getAdapter(appOptions);
  });
  afterAll(() => release());

  const newUser = () => v3.createUser({ name: "Ada", email: uniqueEmail(), image: null, emailVerified: true });

  test("getAdapter returns the same methods for the same settings (cheap on every request)", async () => {
    expect(await kit.legacy.getAdapter({ ...appOptions })).toBe(v3);
    expect(await kit.legacy.getAdapter({ ...appOptions, session: { maxAge: 60, updateAge: 0 } })).not.toBe(v3);
  });

  test("createUser sets emailVerified to now when the profile says verified", async () => {
    const before = Date.now();
    const user = await newUser();
    expect(user.emailVerified).toBeInstanceOf(Date);
    expect(user.emailVerified!.getTime()).toBeGreaterThanOrEqual(before - 1);
    const unverified = await v3.createUser({ name: "B", email: uniqueEmail(), emailVerified: false });
    expect(unverified.emailVerified).toBeNull();
    expect(await v3.getUser(user.id)).toEqual(user);
  });

  test("getUserByEmail is null for a falsy email and for an unknown one", async () => {
    const user = await newUser();
    expect(await v3.getUserByEmail(user.email)).toEqual(user);
    expect(await v3.getUserByEmail(null)).toBeNull();
    expect(await v3.getUserByEmail("")).toBeNull();
    expect(await v3.getUserByEmail("nobody@example.com")).toBeNull();
    expect(await v3.getUser("unknown")).toBeNull();
  });

  test("linkAccount with positional arguments, then getUserByProviderAccountId (numeric ids too)", async () => {
    const user = await newUser();
    const expires = new Date(Date.now() + 3_600_000);
    const account = (await v3.linkAccount(user.id, "github", "oauth", 4242, "refresh-x", "access-x", expires)) as unknown as AdapterAccount;
    expect(account).toMatchObject({ userId: user.id, provider: "github", providerAccountId: "4242", type: "oauth", expires_at: Math.floor(expires.getTime() / 1000) });
    expect(await v3.getUserByProviderAccountId("github", 4242)).toEqual(user);
    expect(await v3.getUserByProviderAccountId("github", "4242")).toEqual(user);
    expect(await v3.getUserByProviderAccountId("gitlab", 4242)).toBeNull();

    await v3.unlinkAccount(user.id, "github", 4242);
    expect(await v3.getUserByProviderAccountId("github", 4242)).toBeNull();
  });

  test("createSession makes 32-byte hex tokens and expires = now + maxAge", async () => {
    const user = await newUser();
    const before = Date.now();
    const session = await v3.createSession(user);
    expect(session.sessionToken).toMatch(/^[0-9a-f]{64}$/);
    expect(session.accessToken).toMatch(/^[0-9a-f]{64}$/);
    expect(session.userId).toBe(user.id);
    const expected = before + appOptions.session.maxAge * 1000;
    expect(session.expires.getTime()).toBeGreaterThanOrEqual(expected - 5);
    expect(session.expires.getTime()).toBeLessThanOrEqual(Date.now() + appOptions.session.maxAge * 1000);
    expect(await v3.getSession(session.sessionToken)).toEqual(session);
  });

  test("getSession of an expired session returns null and deletes it", async () => {
    const user = await newUser();
    const shortLived = await kit.legacy.getAdapter({ ...appOptions, session: { maxAge: 0, updateAge: 0 } });
    const session = await shortLived.createSession(user);
    await new Promise((r) => setTimeout(r, 5));
    expect(await v3.getSession(session.sessionToken)).toBeNull();
    // Deleted, not just hidden: the canonical store no longer has it.
    expect(await kit.call("updateSession", { sessionToken: session.sessionToken, expires: new Date(Date.now() + 60_000) })).toBeNull();
  });

  test("updateSession follows v3's updateAge rule", async () => {
    const user = await newUser();
    const session = await v3.createSession(user);
    // Fresh session: not due for an update.
    expect(await v3.updateSession(session)).toBeNull();
    // Forced: saved as it is.
    expect((await v3.updateSession(session, true))!.expires.getTime()).toBe(session.expires.getTime());
    // Last extended more than updateAge ago: expires moves to now + maxAge.
    const aged = { ...session, expires: new Date(Date.now() + appOptions.session.maxAge * 1000 - 2 * DAY_S * 1000) };
    const before = Date.now();
    const updated = await v3.updateSession(aged);
    expect(updated!.expires.getTime()).toBeGreaterThanOrEqual(before + appOptions.session.maxAge * 1000 - 5);
    expect((await v3.getSession(session.sessionToken))!.expires.getTime()).toBe(updated!.expires.getTime());
  });

  test("updateSession extends the caller's session object in place, as next-auth 3's session route expects", async () => {
    const user = await newUser();
    const session = await v3.createSession(user);
    // Not due: the object stays as it was.
    const fresh = { ...session };
    expect(await v3.updateSession(fresh)).toBeNull();
    expect(fresh).toEqual(session);
    // Due (last extended two days ago): the route reads the new expiry from the object it passed in.
    const oldExpires = new Date(Date.now() + appOptions.session.maxAge * 1000 - 2 * DAY_S * 1000);
    const aged = { ...session, expires: oldExpires };
    const updated = await v3.updateSession(aged);
    expect(updated!.expires.getTime()).toBeGreaterThan(oldExpires.getTime());
    expect(aged.expires).toEqual(updated!.expires);
    expect((await v3.getSession(session.sessionToken))!.expires).toEqual(aged.expires);
    // A frozen session object cannot be extended in place; the call still succeeds.
    const frozen = Object.freeze({ ...session, expires: oldExpires });
    expect((await v3.updateSession(frozen))!.expires.getTime()).toBeGreaterThan(oldExpires.getTime());
    expect(frozen.expires).toBe(oldExpires);
  });

  test("unlinkAccount unlinks only an account of the user it names", async () => {
    const owner = await newUser();
    const other = await newUser();
    await v3.linkAccount(owner.id, "github", "oauth", `own-${owner.id}`, null, "access", null);
    await v3.unlinkAccount(other.id, "github", `own-${owner.id}`);
    await v3.unlinkAccount("no-such-user", "github", `own-${owner.id}`);
    expect(await v3.getUserByProviderAccountId("github", `own-${owner.id}`)).toEqual(owner);
    await v3.unlinkAccount(owner.id, "github", `own-${owner.id}`);
    expect(await v3.getUserByProviderAccountId("github", `own-${owner.id}`)).toBeNull();
    // Unlinking what is not linked is a no-op, as before.
    await expect(v3.unlinkAccount(owner.id, "github", `own-${owner.id}`)).resolves.toBeUndefined();
  });

  test("unlinkAccount refuses a userId that is no id, before looking anything up", async () => {
    const owner = await newUser();
    await v3.linkAccount(owner.id, "github", "oauth", `kept-${owner.id}`, null, "access", null);
    for (const userId of [undefined, null, { id: owner.id }, Object.create(null), Number.NaN]) {
      await expect(v3.unlinkAccount(userId as never, "github", `kept-${owner.id}`)).rejects.toMatchObject({ code: "INVALID_INPUT", operation: "unlinkAccount" });
    }
    expect(await v3.getUserByProviderAccountId("github", `kept-${owner.id}`)).toEqual(owner);
  });

  test("unlinkAccount leaves an account that changed hands between its check and its delete linked to its new owner", async () => {
    // A concurrent writer, as a plugin: right before the delete, the account moves to another user.
    let moveTo: string | null = null;
    const raceKit = fixture.kit({
      plugins: [
        {
          name: "concurrent-relink",
          operations: ["unlinkAccount"],
          async around(ctx, next) {
            if (moveTo !== null) {
              const userId = moveTo;
              moveTo = null;
              const moved = await raceKit.call("unlinkAccount", ctx.args as { provider: string; providerAccountId: string });
              await raceKit.call("linkAccount", { ...moved!, userId });
            }
            return next();
          },
        },
      ],
    });
    const raced = await raceKit.legacy.getAdapter(appOptions);
    const first = await raced.createUser({ name: "A", email: uniqueEmail(), emailVerified: true });
    const second = await raced.createUser({ name: "B", email: uniqueEmail(), emailVerified: true });
    await raced.linkAccount(first.id, "github", "oauth", "moving-account", "refresh", "access", null);
    moveTo = second.id;
    await raced.unlinkAccount(first.id, "github", "moving-account");
    expect(moveTo).toBeNull();
    expect(await raced.getUserByProviderAccountId("github", "moving-account")).toEqual(second);
    expect(await raceKit.call("getAccount", { provider: "github", providerAccountId: "moving-account" })).toMatchObject({
      userId: second.id,
      refresh_token: "refresh",
      access_token: "access",
    });
  });

  test("deleteSession removes the session", async () => {
    const session = await v3.createSession(await newUser());
    await v3.deleteSession(session.sessionToken);
    expect(await v3.getSession(session.sessionToken)).toBeNull();
  });

  test("createVerificationRequest stores sha256hex(token + secret) and mails the raw token", async () => {
    const { provider, sent } = emailProvider();
    const identifier = uniqueEmail();
    const token = "raw-token-123";
    const before = Date.now();
    // Resolves to the stored row, as v3's adapters did (v3 types it `Promise<void>`).
    const stored = (await v3.createVerificationRequest(identifier, "https://app.example/api/auth/callback/email?token=raw-token-123", token, SECRET, provider)) as unknown as VerificationToken;
    expect(sent).toEqual([{ identifier, url: expect.stringContaining(token), token, baseUrl: "https://app.example" }]);
    expect(stored.token).toBe(sha256hex(token + SECRET));
    expect(stored.expires.getTime()).toBeGreaterThanOrEqual(before + DAY_S * 1000 - 5);
    // What the store holds is the hash: found under the hash, not under the raw token.
    expect(await kit.call("getVerificationToken", { identifier, token: sha256hex(token + SECRET) })).not.toBeNull();
    expect(await kit.call("getVerificationToken", { identifier, token })).toBeNull();
  });

  test("the secret falls back to appOptions.secret", async () => {
    const { provider } = emailProvider();
    const identifier = uniqueEmail();
    await v3.createVerificationRequest(identifier, "https://x", "tok-fallback", undefined, provider);
    expect(await v3.getVerificationRequest(identifier, "tok-fallback", undefined, provider)).toMatchObject({ identifier });
  });

  test("a link signs in once: getVerificationRequest claims it, the second click gets null", async () => {
    const { provider } = emailProvider();
    const identifier = uniqueEmail();
    await v3.createVerificationRequest(identifier, "https://x", "tok-once", SECRET, provider);
    // v3 types the request with an id: the stored (hashed) token, never the raw one.
    const hashed = sha256hex("tok-once" + SECRET);
    expect(await v3.getVerificationRequest(identifier, "tok-once", SECRET, provider)).toEqual({ id: hashed, identifier, token: hashed, expires: expect.any(Date) });
    await v3.deleteVerificationRequest(identifier, "tok-once", SECRET, provider);
    expect(await v3.getVerificationRequest(identifier, "tok-once", SECRET, provider)).toBeNull();
  });

  test("8 concurrent clicks on one link: exactly one passes", async () => {
    const { provider } = emailProvider();
    for (let round = 0; round < 5; round++) {
      const identifier = uniqueEmail();
      await v3.createVerificationRequest(identifier, "https://x", `tok-race-${round}`, SECRET, provider);
      const results = await Promise.all(Array.from({ length: 8 }, () => v3.getVerificationRequest(identifier, `tok-race-${round}`, SECRET, provider)));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    }
  });

  test("a wrong secret or token finds nothing; an expired request is null", async () => {
    const { provider } = emailProvider();
    const identifier = uniqueEmail();
    await v3.createVerificationRequest(identifier, "https://x", "tok-a", SECRET, provider);
    expect(await v3.getVerificationRequest(identifier, "tok-a", "other-secret", provider)).toBeNull();
    expect(await v3.getVerificationRequest(identifier, "tok-b", SECRET, provider)).toBeNull();

    const expired = emailProvider(-1);
    await v3.createVerificationRequest(identifier, "https://x", "tok-old", SECRET, expired.provider);
    expect(await v3.getVerificationRequest(identifier, "tok-old", SECRET, expired.provider)).toBeNull();
  });

  test("a failed e-mail raises DELIVERY_FAILED and leaves no valid link behind", async () => {
    const { provider } = emailProvider(DAY_S, true);
    const identifier = uniqueEmail();
    const error = await v3.createVerificationRequest(identifier, "https://x", "tok-fail", SECRET, provider).catch((e) => e);
    expect(error).toMatchObject({ code: "DELIVERY_FAILED", cause: expect.objectContaining({ message: "SMTP is down" }) });
    expect(await v3.getVerificationRequest(identifier, "tok-fail", SECRET, provider)).toBeNull();
  });

  test("DELIVERY_FAILED keeps what failed from the provider's error, never the address, link or token it was sending", async () => {
    const identifier = uniqueEmail();
    const token = `tok-${Date.now()}-bounce`;
    const url = `https://app.example/api/auth/callback/email?token=${token}&email=${encodeURIComponent(identifier)}`;
    // As nodemailer rejects a recipient: the server's words quote the address; the message the link.
    const bounce = Object.assign(new Error(`Message failed: 550 5.1.1 <${identifier.toUpperCase()}>: Recipient address rejected (sending ${url})`), {
      code: "EENVELOPE",
      command: "RCPT TO",
      responseCode: 550,
      response: `550 5.1.1 <${identifier}>: Recipient address rejected`,
      rejected: [identifier],
    });
    const provider: LegacyEmailProvider = {
      sendVerificationRequest: async () => {
        throw bounce;
      },
    };
    const error = await v3.createVerificationRequest(identifier, url, token, SECRET, provider).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "DELIVERY_FAILED",
      cause: { errorName: "Error", code: "EENVELOPE", command: "RCPT TO", responseCode: 550, message: "Message failed: 550 5.1.1 <[identifier]>: Recipient address rejected (sending [url])" },
    });
    for (const rendering of [inspect(error, { depth: Infinity }), JSON.stringify(error), JSON.stringify((error as Error).cause), String((error as Error).cause)]) {
      for (const value of [identifier, token, encodeURIComponent(identifier), identifier.toUpperCase()]) expect(rendering).not.toContain(value);
    }
  });

  test("DELIVERY_FAILED: a DNS failure that names only the recipient's domain (an internationalised one, in punycode) shows neither form", async () => {
    const identifier = `ana.${Date.now()}@bücher-bounce.example`;
    const punycode = "xn--bcher-bounce-dlb.example";
    const provider: LegacyEmailProvider = {
      sendVerificationRequest: async () => {
        throw Object.assign(new Error(`queryMx ENOTFOUND ${punycode} (for bücher-bounce.example)`), { code: "EDNS" });
      },
    };
    const error = (await v3.createVerificationRequest(identifier, "https://x", "tok-dns", SECRET, provider).catch((e: unknown) => e)) as Error;
    expect(error.cause).toMatchObject({ code: "EDNS", message: "queryMx ENOTFOUND [domain] (for [domain])" });
  });

  test("DELIVERY_FAILED whatever the caller passed as the link and token (not strings, a lone surrogate, a megabyte)", async () => {
    const provider: LegacyEmailProvider = {
      sendVerificationRequest: async () => {
        throw new Error("SMTP is down");
      },
    };
    for (const [url, token] of [[["not", "a", "url"], "tok-array"], [42, "tok-number"], ["https://x/\ud800", "tok-\udc00"], ["https://x", "y".repeat(1 << 20)]] as const) {
      const error = await v3.createVerificationRequest(uniqueEmail(), url as never, token, SECRET, provider).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "DELIVERY_FAILED", cause: { message: "SMTP is down" } });
    }
  });

  test("getUserByCredentials says how to bind an implementation", async () => {
    await expect(v3.getUserByCredentials({ username: "a", password: "b" })).rejects.toMatchObject({
      code: "NOT_IMPLEMENTED",
      message: expect.stringContaining('kit.override("getUserByCredentials"'),
    });
  });

  test("updateUser and deleteUser (with its sessions and accounts)", async () => {
    const user = await newUser();
    expect(await v3.updateUser({ ...user, name: "Renamed" })).toMatchObject({ id: user.id, name: "Renamed" });
    const session = await v3.createSession(user);
    await v3.linkAccount(user.id, "github", "oauth", `gh-${user.id}`, null, "access", null);
    await v3.deleteUser(user.id);
    expect(await v3.getUser(user.id)).toBeNull();
    expect(await v3.getSession(session.sessionToken)).toBeNull();
    expect(await v3.getUserByProviderAccountId("github", `gh-${user.id}`)).toBeNull();
  });
});
