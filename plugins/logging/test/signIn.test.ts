/** The logging plugin through a full sign-in on PostgreSQL, both facades: what each line says and what it never says. */
import "reflect-metadata";
import { createAdapterKit, ErrorCode } from "../../../src";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database";
import { legacyTokenHash } from "../../hash-verification-tokens";
import { logging } from "..";
import { hex, inOneHour, letters, memoryLogger, rejection } from "./support";

describe("logging on PostgreSQL: a full sign-in through both facades", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  test("every call leaves one line with duration and outcome; no token, secret or e-mail is written", async () => {
    const log = memoryLogger("trace");
    const kit = createAdapterKit({ database: db.url, synchronize: true, plugins: [logging({ logger: log.logger })] });

    const email = "Alice.SignIn@example.com";
    const v3Email = "bob.v3@example.org";
    const secrets = {
      accessToken: `gho_${hex()}`,
      refreshToken: letters("refresh"),
      idToken: `eyJhbGciOiJSUzI1NiJ9.${hex(24)}.${hex(24)}`,
      sessionToken: letters("session"),
      duplicateSessionToken: letters("dupsession"),
      verificationToken: letters("verify"),
      v3Secret: letters("appsecret"),
      v3AccessToken: letters("v3access"),
      v3RefreshToken: letters("v3refresh"),
      v3EmailToken: letters("v3emailtoken"),
      v3SecondEmailToken: letters("v3second"),
    };
    const expected: [string, string, string][] = [];
    const causes: string[] = [];
    try {
      // Auth.js / next-auth v4: OAuth sign-in, session reads, e-mail sign-in, sign-out.
      const a = kit.authjs;
      const user = await a.createUser({ email, emailVerified: null, name: "Alice" });
      expected.push(["authjs", "createUser", "ok"]);
      await a.getUserByEmail(email);
      expected.push(["authjs", "getUserByEmail", "ok"]);
      await a.getUserByAccount({ provider: "github", providerAccountId: "gh-1" });
      expected.push(["authjs", "getUserByAccount", "null"]);
      await a.linkAccount({
        userId: user.id,
        type: "oauth",
        provider: "github",
        providerAccountId: "gh-1",
        access_token: secrets.accessToken,
        refresh_token: secrets.refreshToken,
        id_token: secrets.idToken,
        token_type: "bearer",
        scope: "read:user",
        expires_at: Math.floor(Date.now() / 1000) + 3600,
      });
      expected.push(["authjs", "linkAccount", "ok"]);
      await a.getUserByAccount({ provider: "github", providerAccountId: "gh-1" });
      expected.push(["authjs", "getUserByAccount", "ok"]);
      await a.createSession({ sessionToken: secrets.sessionToken, userId: user.id, expires: inOneHour() });
      expected.push(["authjs", "createSession", "ok"]);
      expect(await a.getSessionAndUser(secrets.sessionToken)).not.toBeNull();
      expected.push(["authjs", "getSessionAndUser", "ok"]);
      await a.updateSession({ sessionToken: secrets.sessionToken, expires: inOneHour() });
      expected.push(["authjs", "updateSession", "ok"]);
      await a.createVerificationToken({ identifier: email, token: secrets.verificationToken, expires: inOneHour() });
      expected.push(["authjs", "createVerificationToken", "ok"]);
      expect(await a.useVerificationToken({ identifier: email, token: secrets.verificationToken })).not.toBeNull();
      expected.push(["authjs", "useVerificationToken", "ok"]);
      expect(await a.useVerificationToken({ identifier: email, token: secrets.verificationToken })).toBeNull();
      expected.push(["authjs", "useVerificationToken", "null"]);
      await a.deleteSession(secrets.sessionToken);
      expected.push(["authjs", "deleteSession", "ok"]);
      expect(await a.getSessionAndUser(secrets.sessionToken)).toBeNull();
      expected.push(["authjs", "getSessionAndUser", "null"]);

      // Failures whose database messages carry the values: the same e-mail, the same session token.
      const duplicateUser = await rejection(a.createUser({ email, emailVerified: null, name: "Alice again" }));
      expected.push(["authjs", "createUser", "error"]);
      await a.createSession({ sessionToken: secrets.duplicateSessionToken, userId: user.id, expires: inOneHour() });
      expected.push(["authjs", "createSession", "ok"]);
      const duplicateSession = await rejection(a.createSession({ sessionToken: secrets.duplicateSessionToken, userId: user.id, expires: inOneHour() }));
      expected.push(["authjs", "createSession", "error"]);

      // NextAuth v3: the seed's positional methods, with the app secret hashing e-mail tokens.
      const v3 = await kit.legacy.getAdapter({ secret: secrets.v3Secret, baseUrl: "http://localhost:3000" });
      const bob = await v3.createUser({ name: "Bob", email: v3Email, image: null });
      expected.push(["legacy", "createUser", "ok"]);
      await v3.linkAccount(bob.id, "google", "oauth", "g-1", secrets.v3RefreshToken, secrets.v3AccessToken, inOneHour());
      expected.push(["legacy", "linkAccount", "ok"]);
      const session = await v3.createSession(bob);
      expected.push(["legacy", "createSession", "ok"]);
      expect(await v3.getSession(session.sessionToken)).not.toBeNull();
      expected.push(["legacy", "getSessionAndUser", "ok"]);
      await v3.updateSession(session, true);
      expected.push(["legacy", "updateSession", "ok"]);
      const sent: string[] = [];
      const provider = { maxAge: 600, sendVerificationRequest: ({ token }: { token: string }) => void sent.push(token) };
      await v3.createVerificationRequest(v3Email, `http://localhost:3000/api/auth/callback/email?token=${secrets.v3EmailToken}`, secrets.v3EmailToken, secrets.v3Secret, provider);
      expected.push(["legacy", "createVerificationToken", "ok"]);
      expect(sent).toEqual([secrets.v3EmailToken]);
      expect(await v3.getVerificationRequest(v3Email, secrets.v3EmailToken, secrets.v3Secret, provider)).not.toBeNull();
      expected.push(["legacy", "useVerificationToken", "ok"]);
      await v3.deleteVerificationRequest(v3Email, secrets.v3EmailToken, secrets.v3Secret, provider);
      expected.push(["legacy", "deleteVerificationToken", "null"]);
      await v3.createVerificationRequest(v3Email, "http://localhost:3000/cb", secrets.v3SecondEmailToken, secrets.v3Secret, provider);
      expected.push(["legacy", "createVerificationToken", "ok"]);
      // The same link twice: the store refuses the hash it already holds, and says so with the hash.
      const duplicateLink = await rejection(v3.createVerificationRequest(v3Email, "http://localhost:3000/cb", secrets.v3SecondEmailToken, secrets.v3Secret, provider));
      expected.push(["legacy", "createVerificationToken", "error"]);
      await v3.deleteSession(session.sessionToken);
      expected.push(["legacy", "deleteSession", "ok"]);

      Object.assign(secrets, { v3SessionToken: session.sessionToken, v3SessionAccessToken: session.accessToken });
      const hashes = [secrets.v3EmailToken, secrets.v3SecondEmailToken].map((t) => legacyTokenHash(t, secrets.v3Secret));

      // The failures are the kit's CONFLICT; their causes are the kit's sanitised description (no values since issue 10).
      for (const error of [duplicateUser, duplicateSession, duplicateLink]) expect(error).toMatchObject({ code: ErrorCode.CONFLICT, cause: { code: "23505", kind: "unique_violation" } });
      causes.push(...[duplicateUser, duplicateSession, duplicateLink].map((e) => JSON.stringify(e.cause)));
      expect(causes.filter((c) => [email, secrets.duplicateSessionToken, hashes[1]!].some((v) => c.includes(v)))).toEqual([]);

      await new Promise((resolve) => setImmediate(resolve));
      const records = log.records();
      expect(records.map((r) => [r.facade, r.operation, r.outcome])).toEqual(expected);
      for (const r of records) {
        expect(typeof r.durationMs).toBe("number");
        expect(r.durationMs).toBeGreaterThanOrEqual(0);
        expect(r.level).toBe(r.outcome === "error" ? 50 : 20); // error, else the default `debug`
      }
      const errors = records.filter((r) => r.outcome === "error");
      expect(errors.map((r) => r.code)).toEqual(["CONFLICT", "CONFLICT", "CONFLICT"]);
      // The SQLSTATE survives; the driver's message and the statement (with every value of the row) do not.
      expect(errors.map((r) => r.error?.cause?.code)).toEqual(["23505", "23505", "23505"]);
      expect(records.find((r) => r.operation === "linkAccount" && r.facade === "authjs")).toMatchObject({ userId: user.id, provider: "github" });

      const output = log.text();
      for (const [name, value] of Object.entries({ ...secrets, hash1: hashes[0]!, hash2: hashes[1]! })) {
        expect({ name, leaked: output.includes(String(value)) }).toEqual({ name, leaked: false });
      }
      expect(output.toLowerCase()).not.toContain(email.toLowerCase());
      expect(output.toLowerCase()).not.toContain(v3Email.toLowerCase());
      expect(output).not.toMatch(/@example\.(com|org)/i);
      expect(output).not.toContain("Alice again");
    } finally {
      await kit.close();
    }
  });
});
