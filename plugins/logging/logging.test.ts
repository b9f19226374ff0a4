import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { inject } from "inversify";
import pino from "pino";
import { AdapterError, createAdapterKit, ErrorCode, Plugin, PluginOrder, TYPES, type OperationContext } from "../../src";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { legacyTokenHash } from "../hash-verification-tokens";
import { logging, type PinoLike } from ".";

interface LogRecord {
  level: number;
  msg: string;
  operation: string;
  facade: string;
  outcome: "ok" | "null" | "error";
  durationMs: number;
  code?: string;
  userId?: string;
  provider?: string;
  email?: string;
  error?: { message: string; cause?: { code?: string; message: string } };
}

/** A pino logger at `level` writing into memory. */
function memoryLogger(level = "trace") {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level }, stream);
  const text = () => chunks.join("");
  const records = () => text().split("\n").filter(Boolean).map((line) => JSON.parse(line) as LogRecord);
  return { logger, text, records };
}

const hex = (bytes = 16) => randomBytes(bytes).toString("hex");
/** Letters only: the pattern scrubber would not catch these, only redaction by value can. */
const letters = (label: string) => `${label}-${Array.from(randomBytes(12), (b) => String.fromCharCode(97 + (b % 26))).join("")}`;
const inOneHour = () => new Date(Date.now() + 3600_000);

async function rejection(promise: Promise<unknown>): Promise<AdapterError> {
  try {
    await promise;
  } catch (error) {
    return error as AdapterError;
  }
  throw new Error("expected the call to fail");
}

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

describe("logging on the in-memory stores", () => {
  test("logEmails: true lets the e-mail address appear", async () => {
    const log = memoryLogger("trace");
    const kit = createAdapterKit({ stores: "memory", plugins: [logging({ logger: log.logger, logEmails: true })] });
    const email = "carol@example.net";
    await kit.authjs.createUser({ email, emailVerified: null });
    await kit.authjs.getUserByEmail(email);
    await kit.authjs.createVerificationToken({ identifier: email, token: letters("tok"), expires: inOneHour() });
    const records = log.records();
    expect(records.map((r) => [r.operation, r.email ?? r["identifier" as keyof LogRecord]])).toEqual([
      ["createUser", email],
      ["getUserByEmail", email],
      ["createVerificationToken", email],
    ]);
    expect(log.text()).not.toContain('"token"');
  });

  test("the line's level is the user's choice; failures stay at error even when that level is off", async () => {
    const info = memoryLogger("trace");
    const kitInfo = createAdapterKit({ stores: "memory", plugins: [logging({ logger: info.logger, level: "info" })] });
    await kitInfo.authjs.getUser("nobody");
    expect(info.records().map((r) => [r.level, r.operation, r.outcome])).toEqual([[30, "getUser", "null"]]);

    const quiet = memoryLogger("warn");
    const kitQuiet = createAdapterKit({ stores: "memory", plugins: [logging({ logger: quiet.logger })] });
    await kitQuiet.authjs.createUser({ email: "dave@example.com", emailVerified: null });
    await rejection(kitQuiet.authjs.createUser({ email: "dave@example.com", emailVerified: null }));
    expect(quiet.records().map((r) => [r.level, r.operation, r.outcome, r.code])).toEqual([[50, "createUser", "error", "CONFLICT"]]);
  });

  test("an error message echoing nested arguments is scrubbed by key and by pattern", async () => {
    const log = memoryLogger("trace");
    const hidden = { refresh: letters("nestedrefresh"), jwt: `eyJ${hex(20)}.${hex(20)}.${hex(20)}`, email: "erin@example.com" };
    // A store (or driver) that puts the whole argument object in its error message.
    class LeakyLinkAccount {
      async execute(args: unknown): Promise<never> {
        throw new Error(`insert failed: ${JSON.stringify(args)} for ${hidden.email}`);
      }
    }
    const kit = createAdapterKit({ stores: "memory", plugins: [logging({ logger: log.logger })], operations: { linkAccount: LeakyLinkAccount } });
    const failure = await rejection(
      kit.authjs.linkAccount({
        userId: "u1",
        type: "oauth",
        provider: "github",
        providerAccountId: "1",
        profile: { raw: { refresh_token: hidden.refresh, nested: [{ idToken: hidden.jwt }] } },
      }),
    );
    expect(failure.code).toBe(ErrorCode.INTERNAL);
    expect(failure.message).toContain(hidden.refresh); // the caller's error is untouched; only the log is scrubbed
    const [record] = log.records();
    expect(record).toMatchObject({ level: 50, operation: "linkAccount", outcome: "error", code: "INTERNAL", provider: "github" });
    expect(record!.error!.message).toContain("[REDACTED]");
    for (const value of Object.values(hidden)) expect(log.text()).not.toContain(value);
  });

  test("a throwing logger or stream never breaks the call", async () => {
    const throwing = () => {
      throw new Error("logger down");
    };
    const brokenLogger = { child: throwing, isLevelEnabled: () => true } as unknown as PinoLike;
    const brokenStream = pino({ level: "trace" }, { write: throwing });
    for (const logger of [brokenLogger, brokenStream]) {
      const kit = createAdapterKit({ stores: "memory", plugins: [logging({ logger })] });
      const user = await kit.authjs.createUser({ email: "frank@example.com", emailVerified: null });
      expect(await kit.authjs.getUser(user.id)).toEqual(user);
      expect(await kit.authjs.getUser("missing")).toBeNull();
      // The operation's own failure comes out, not the logger's.
      const failure = await rejection(kit.authjs.createUser({ email: "frank@example.com", emailVerified: null }));
      expect(failure).toBeInstanceOf(AdapterError);
      expect(failure.code).toBe(ErrorCode.CONFLICT);
    }
  });

  test("works as a decorated class resolved by the container, with the logger injected", async () => {
    const LOGGER = Symbol("Logger");
    @Plugin({ name: "container-logging", order: PluginOrder.LOGGING })
    class ContainerLogging {
      private readonly inner;
      constructor(@inject(LOGGER) logger: PinoLike) {
        this.inner = logging({ logger, level: "info" });
      }
      around(ctx: OperationContext, next: () => Promise<unknown>) {
        return this.inner.around(ctx, next);
      }
    }
    const log = memoryLogger("trace");
    const viaUse = createAdapterKit({ stores: "memory" });
    viaUse.container.bind(LOGGER).toConstantValue(log.logger);
    viaUse.use(ContainerLogging);
    await viaUse.authjs.getUser("nobody");

    const viaBind = createAdapterKit({ stores: "memory" });
    viaBind.container.bind(LOGGER).toConstantValue(log.logger);
    viaBind.container.bind(TYPES.Plugin).to(ContainerLogging);
    viaBind.reload();
    await viaBind.authjs.getUserByEmail("nobody@example.com");

    expect(log.records().map((r) => [r.level, r.operation, r.outcome])).toEqual([
      [30, "getUser", "null"],
      [30, "getUserByEmail", "null"],
    ]);
  });
});

describe("logging() options", () => {
  test("defaults to PluginOrder.LOGGING and its own pino logger; the order can be changed", () => {
    expect(logging().order).toBe(PluginOrder.LOGGING);
    expect(logging({ order: 42, logger: memoryLogger().logger }).order).toBe(42);
  });

  test("an unknown level is a CONFIGURATION error", () => {
    expect(() => logging({ level: "loud" as never })).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION }));
  });

  test("without pino installed, creating the default logger is a CONFIGURATION error naming the package", () => {
    jest.isolateModules(() => {
      jest.doMock("pino", () => {
        throw Object.assign(new Error("Cannot find module 'pino'"), { code: "MODULE_NOT_FOUND" });
      });
      const fresh = require(".") as typeof import(".");
      expect(() => fresh.logging()).toThrow(expect.objectContaining({ code: "CONFIGURATION", message: expect.stringContaining('"pino"') }));
      // A logger handed in needs no pino at all.
      expect(() => fresh.logging({ logger: memoryLogger().logger })).not.toThrow();
    });
    jest.dontMock("pino");
  });
});
