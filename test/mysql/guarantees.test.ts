import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { createAdapterKit, TYPES, type AdapterKit } from "../../src";
import type { OrmConnection } from "../../src/persistence/mikro-orm/OrmConnection";
import { everyOperation, hostileValues, unexpectedOutcomes } from "../persistence/support/hostile";
import { createTestMariaDb, killConnections, mariaQuery, MARIADB_SERVER, withMariaDb, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";
import { uniqueEmail } from "../support/storeSets";

const hex = () => randomBytes(16).toString("hex");
const inAMinute = () => new Date(Date.now() + 60_000);
const ormOf = (kit: AdapterKit) => kit.container.get<OrmConnection>(TYPES.OrmConnection).get();

/** Server-wide prepared-statement executions (the kit's are counted with everyone's: only ever more). */
const stmtExecutions = async () =>
  Number((await mariaQuery<{ Value: string }>(`${MARIADB_SERVER}/`, "show global status like 'Com_stmt_execute'"))[0]!.Value);

/** The same guarantees as on PostgreSQL (issue 12), with each of the two drivers against the MariaDB server. */
describe.each(MYSQL_DRIVERS)("MySQL-family guarantees through the $name driver", ({ name, url }) => {
  let db: TestMariaDb;
  let kit: AdapterKit;
  beforeAll(async () => {
    db = await createTestMariaDb();
    kit = createAdapterKit({ database: url(db), synchronize: true });
  });
  afterAll(async () => {
    await kit.close();
    await db.drop();
  });

  test("single use: 8 concurrent uses of one verification token through either facade, exactly one success", async () => {
    const identifier = uniqueEmail("race");
    const token = hex();
    await kit.authjs.createVerificationToken!({ identifier, token, expires: inAMinute() });
    const authjs = await Promise.all(Array.from({ length: 8 }, () => kit.authjs.useVerificationToken!({ identifier, token })));
    expect(authjs.filter((r) => r !== null)).toEqual([{ identifier, token, expires: expect.any(Date) }]);

    const v3 = await kit.legacy.getAdapter({ secret: "race-secret" });
    const provider = { maxAge: 60, sendVerificationRequest: async () => undefined };
    const raw = hex();
    await v3.createVerificationRequest(identifier, "https://app.example/cb", raw, "race-secret", provider);
    const legacy = await Promise.all(Array.from({ length: 8 }, () => v3.getVerificationRequest(identifier, raw, "race-secret", provider).catch((e: unknown) => e)));
    expect(legacy.filter((r) => r !== null && !(r instanceof Error))).toHaveLength(1);
    expect(legacy.filter((r) => r instanceof Error)).toEqual([]);
  });

  test("concurrent sign-ups with one e-mail: one user, the rest CONFLICT; different e-mails all succeed", async () => {
    const email = uniqueEmail("signup");
    const same = await Promise.allSettled(Array.from({ length: 8 }, () => kit.authjs.createUser({ email, emailVerified: null })));
    expect(same.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(same.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(7).fill("CONFLICT"));
    const many = await Promise.all(Array.from({ length: 8 }, (_, i) => kit.authjs.createUser({ email: uniqueEmail(`many${i}`), emailVerified: null })));
    expect(new Set(many.map((u) => u.id)).size).toBe(8);
  });

  test("errors by errno: duplicate → CONFLICT, too long → INVALID_INPUT, unknown user → NOT_FOUND; no token in the error", async () => {
    const user = await kit.authjs.createUser({ email: uniqueEmail("errors"), emailVerified: null });
    const sessionToken = hex();
    await kit.authjs.createSession({ sessionToken, userId: user.id, expires: inAMinute() });
    const conflict = await kit.authjs.createSession({ sessionToken, userId: user.id, expires: inAMinute() }).catch((e) => e);
    expect(conflict).toMatchObject({ code: "CONFLICT", cause: { errno: 1062 } });
    const accessToken = `secret-oauth-${hex()}`;
    // Longer than the entity declares: refused before the statement, naming the column's length.
    const tooLongForEntity = await kit.authjs
      .linkAccount({ userId: user.id, type: "oauth", provider: "p".repeat(300), providerAccountId: "1", access_token: accessToken })
      .catch((e) => e);
    expect(tooLongForEntity).toMatchObject({ code: "INVALID_INPUT", message: 'linkAccount: "provider" is longer than its column (255 characters)' });
    // A table narrower than its entity (made by hand): the server's errno 1406 is INVALID_INPUT too.
    await mariaQuery(db.mysqlUrl, "alter table accounts modify token_type varchar(8) null");
    const tooLong = await kit.authjs
      .linkAccount({ userId: user.id, type: "oauth", provider: "narrow", providerAccountId: "1", access_token: accessToken, token_type: "bearer-with-a-long-name" })
      .catch((e) => e);
    await mariaQuery(db.mysqlUrl, "alter table accounts modify token_type varchar(255) null");
    expect(tooLong).toMatchObject({ code: "INVALID_INPUT", cause: { errno: 1406 } });
    const orphan = await kit.authjs.createSession({ sessionToken: hex(), userId: "no-such-user", expires: inAMinute() }).catch((e) => e);
    expect(orphan).toMatchObject({ code: "NOT_FOUND", cause: { errno: 1452 } });
    for (const error of [conflict, tooLongForEntity, tooLong, orphan]) {
      const seen = inspect(error, { depth: Infinity }) + JSON.stringify(error);
      expect(seen).not.toContain(sessionToken);
      expect(seen).not.toContain(accessToken);
      expect(seen).not.toContain("insert into");
    }
  });

  test("lookups are server-side prepared statements, one round trip each; keys compare exactly (binary collation)", async () => {
    const user = await kit.authjs.createUser({ email: uniqueEmail("prepared"), emailVerified: null });
    const sessionToken = `AbC${hex()}`;
    await kit.authjs.createSession({ sessionToken, userId: user.id, expires: inAMinute() });
    await kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: "Prep-1" });
    const before = await stmtExecutions();
    expect(await kit.authjs.getSessionAndUser(sessionToken)).toMatchObject({ session: { sessionToken }, user });
    expect(await kit.authjs.getUserByAccount({ provider: "github", providerAccountId: "Prep-1" })).toEqual(user);
    expect(await stmtExecutions()).toBeGreaterThanOrEqual(before + 2);
    // A case-insensitive collation would find these: the binary one does not.
    expect(await kit.authjs.getSessionAndUser(sessionToken.toLowerCase())).toBeNull();
    expect(await kit.authjs.getUserByAccount({ provider: "GitHub", providerAccountId: "prep-1" })).toBeNull();
  });

  test("dates are stored as UTC (DATETIME(3)) and read back to the millisecond", async () => {
    const user = await kit.authjs.createUser({ email: uniqueEmail("utc"), emailVerified: new Date("2030-06-15T10:20:30.456Z") });
    const [row] = await mariaQuery<{ v: string }>(db.mysqlUrl, "select cast(email_verified as char) as v from users where id = ?", [user.id]);
    expect(row!.v).toBe("2030-06-15 10:20:30.456");
    expect((await kit.authjs.getUser(user.id))!.emailVerified).toEqual(new Date("2030-06-15T10:20:30.456Z"));
  });

  test("a date DATETIME cannot hold (before year 1000, after 9999) is INVALID_INPUT, never a zero date", async () => {
    const user = await kit.authjs.createUser({ email: uniqueEmail("range"), emailVerified: null });
    const session = await kit.authjs.createSession({ sessionToken: hex(), userId: user.id, expires: inAMinute() });
    for (const expires of [new Date(-62198755200001), new Date("0999-12-31T23:59:59.999Z"), new Date("+010000-01-01T00:00:00Z")]) {
      await expect(kit.authjs.updateSession({ sessionToken: session.sessionToken, expires })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    }
    expect((await kit.authjs.getSessionAndUser(session.sessionToken))!.session.expires).toEqual(session.expires);
  });

  test("the kit's connections: UTC session time zone, strict mode, a statement time limit", async () => {
    const orm = await ormOf(kit);
    const [settings] = await orm.em.getConnection().execute("select @@session.time_zone as tz, @@session.sql_mode as mode, @@session.max_statement_time as limit_s");
    expect(settings).toMatchObject({ tz: "+00:00", mode: expect.stringContaining("STRICT_ALL_TABLES") });
    expect(Number(settings.limit_s)).toBe(10);
  });

  test("purgeExpired deletes in bounded batches and keeps live rows", async () => {
    const user = await kit.authjs.createUser({ email: uniqueEmail("purge"), emailVerified: null });
    const past = new Date(Date.now() - 86_400_000);
    for (let i = 0; i < 150; i++) await kit.authjs.createSession({ sessionToken: `old-${name}-${i}-${hex()}`, userId: user.id, expires: past });
    for (let i = 0; i < 70; i++) await kit.authjs.createVerificationToken!({ identifier: `purge-${i}@example.com`, token: hex(), expires: past });
    const live = hex();
    await kit.authjs.createSession({ sessionToken: live, userId: user.id, expires: inAMinute() });
    expect(await kit.purgeExpired({ batchSize: 50 })).toMatchObject({ sessions: 150, verificationTokens: expect.any(Number), skipped: [] });
    expect(await mariaQuery(db.mysqlUrl, "select 1 from verification_tokens where expires < now()")).toEqual([]);
    expect(await kit.authjs.getSessionAndUser(live)).toMatchObject({ session: { sessionToken: live } });
  });

  test("every server connection of the kit killed (KILL CONNECTION): reads answer at once, writes recover, the pool is never rebuilt", async () => {
    let rebuilds = 0;
    kit.events.on("database.rebuild", () => rebuilds++);
    const user = await kit.authjs.createUser({ email: uniqueEmail("kill"), emailVerified: null });
    await Promise.all([kit.authjs.getUser(user.id), kit.authjs.getUser(user.id), kit.authjs.getUser(user.id)]);
    expect(await killConnections(db.name)).toBeGreaterThan(0);
    // Reads change nothing: one broken under them is retried on a fresh connection.
    expect(await kit.authjs.getUser(user.id)).toEqual(user);
    expect(await kit.authjs.getUserByEmail(user.email!)).toEqual(user);
    await killConnections(db.name);
    // A write is not blindly retried (it may have reached the server): it succeeds, or fails as
    // DATABASE_UNAVAILABLE once, and the next one succeeds on a fresh connection.
    const first = hex();
    const outcome = await kit.authjs.createSession({ sessionToken: first, userId: user.id, expires: inAMinute() }).then(
      () => "ok",
      (e) => e.code,
    );
    expect(["ok", "DATABASE_UNAVAILABLE"]).toContain(outcome);
    const sessionToken = hex();
    await kit.authjs.createSession({ sessionToken, userId: user.id, expires: inAMinute() });
    expect(await kit.authjs.getSessionAndUser(sessionToken)).toMatchObject({ user });
    expect(rebuilds).toBe(0);
  });

  test("hostile input on every operation of both facades: typed outcomes, zero pool rebuilds", async () => {
    let rebuilds = 0;
    kit.events.on("database.rebuild", () => rebuilds++);
    const user = await kit.authjs.createUser({ email: uniqueEmail("victim"), emailVerified: null });
    const wrong: string[] = [];
    for (const h of hostileValues()) wrong.push(...(await unexpectedOutcomes(await everyOperation(kit, h, user.id), h)));
    expect(wrong).toEqual([]);
    expect(rebuilds).toBe(0);
  });
});

describe("connection failures are clear", () => {
  test("wrong credentials → CONFIGURATION saying the database refused them (errno 1045)", async () => {
    await withMariaDb(`${MARIADB_SERVER}/`, async (c) => {
      await c.query("create user if not exists 'kit_denied'@'%' identified by 'right-password'");
    });
    try {
      for (const { url: _url, name } of MYSQL_DRIVERS) {
        const kit = createAdapterKit({ database: `${name}://kit_denied:wrong-password@127.0.0.1:3306/mysql` });
        try {
          const error = await kit.authjs.getUser("x").catch((e) => e);
          expect(error).toMatchObject({ code: "CONFIGURATION", cause: { kind: "authentication", errno: 1045 } });
          expect(inspect(error, { depth: Infinity })).not.toContain("wrong-password");
        } finally {
          await kit.close();
        }
      }
    } finally {
      await withMariaDb(`${MARIADB_SERVER}/`, (c) => c.query("drop user if exists 'kit_denied'@'%'"));
    }
  });

  test("a database that does not exist → CONFIGURATION naming it (errno 1049); the kit never creates it", async () => {
    for (const { name } of MYSQL_DRIVERS) {
      const missing = `kit_missing_${name}_${process.pid}`;
      const kit = createAdapterKit({ database: `${name}://root@127.0.0.1:3306/${missing}`, synchronize: true });
      try {
        const error = await kit.authjs.getUser("x").catch((e) => e);
        expect(error).toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining(`"${missing}" does not exist`), cause: { kind: "missing_database", errno: 1049 } });
        expect(await mariaQuery(`${MARIADB_SERVER}/`, "select schema_name from information_schema.schemata where schema_name = ?", [missing])).toEqual([]);
      } finally {
        await kit.close();
      }
    }
  });

  test("a server that is down → DATABASE_UNAVAILABLE, on both drivers", async () => {
    for (const { name } of MYSQL_DRIVERS) {
      const kit = createAdapterKit({ database: `${name}://root@127.0.0.1:1/nothing` });
      try {
        await expect(kit.authjs.getSessionAndUser("t")).rejects.toMatchObject({ code: "DATABASE_UNAVAILABLE", operation: "getSessionAndUser" });
      } finally {
        await kit.close();
      }
    }
  });
});
