import { randomBytes } from "node:crypto";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdapterKit, type AdapterKit, type LegacyMethods } from "../../src";
import { createTestDatabase, PG_SERVER, query, withClient, type TestDatabase } from "../support/database";
import { leakedBy } from "../support/errorRenderings";
import { authjsConflictsLeakNothing, refusal, secret, secretEmail } from "../support/leakChecks";

/** better-sqlite3 (MikroORM's SQLite driver) opened directly, to add the app's own triggers. */
const Database: new (file: string) => { exec(sql: string): void; close(): void } = require("better-sqlite3");

/**
 * No value a caller passed (session token, e-mail token, e-mail, OAuth token) reaches an error:
 * not its message, not `util.inspect(err, {depth: Infinity})`, `JSON.stringify(err)`, pino's `err`
 * serializer or anything along `cause`; not PostgreSQL's `pg_stat_activity` either.
 */
const email = secretEmail;
const inAMinute = () => new Date(Date.now() + 60_000);

/** The failures each database can produce from a caller's values, on both facades (rows starting "deny-" are refused by the app's own constraint). */
function leakChecks(kitOf: () => AdapterKit) {
  let kit: AdapterKit;
  let v3: LegacyMethods;
  let userId: string;
  beforeAll(async () => {
    kit = kitOf();
    v3 = await kit.legacy.getAdapter({ secret: "leak-secret", session: { maxAge: 60 } });
    userId = (await kit.authjs.createUser({ email: email(), emailVerified: null })).id;
  });
  afterAll(() => kit.close());

  test("CONFLICT (Auth.js): same e-mail, same session token, same account, same e-mail token", async () => {
    const a = kit.authjs;
    await authjsConflictsLeakNothing(a, userId);

    const vt = { identifier: email(), token: secret("vt"), expires: inAMinute() };
    await a.createVerificationToken!(vt);
    await refusal(() => a.createVerificationToken!(vt), "CONFLICT", [vt.identifier, vt.token]);
  });

  test("CONFLICT (NextAuth v3): same e-mail, same provider account", async () => {
    const mail = email();
    await v3.createUser({ name: "v3", email: mail, image: null });
    await refusal(() => v3.createUser({ name: "v3", email: mail, image: null }), "CONFLICT", [mail]);
    const providerAccountId = secret("g");
    await v3.linkAccount(userId, "google", "oauth", providerAccountId, secret("r"), secret("a"), null);
    const [refresh, access] = [secret("v3r"), secret("v3a")];
    await refusal(() => v3.linkAccount(userId, "google", "oauth", providerAccountId, refresh, access, null), "CONFLICT", [refresh, access]);
  });

  test("DATABASE_ERROR (both facades): a constraint of the app's own refuses the row", async () => {
    const sessionToken = `deny-${secret("session")}`;
    const error = await refusal(() => kit.authjs.createSession({ sessionToken, userId, expires: inAMinute() }), "DATABASE_ERROR", [sessionToken]);
    expect(error.cause).toMatchObject({ kind: "other" });
    const access = `deny-${secret("v3a")}`;
    const refresh = secret("v3r");
    await refusal(() => v3.linkAccount(userId, "github", "oauth", secret("x"), refresh, access, null), "DATABASE_ERROR", [access, refresh]);
  });
}

describe("PostgreSQL", () => {
  let db: TestDatabase;
  const deny = { sessions: "sessions_deny", accounts: "accounts_deny" };
  beforeAll(async () => {
    db = await createTestDatabase();
    const setup = createAdapterKit({ database: db.url, synchronize: true });
    await setup.synchronize();
    await setup.close();
    await query(db.url, `alter table sessions add constraint ${deny.sessions} check (session_token not like 'deny-%')`);
    await query(db.url, `alter table accounts add constraint ${deny.accounts} check (access_token not like 'deny-%')`);
  });
  afterAll(() => db.drop());

  /** A kit whose statements time out after 300 ms (server side), on a pool of `max` connections. */
  const kitWith = (connection: object, pool: object = {}) =>
    createAdapterKit({ database: { driver: PostgreSqlDriver, clientUrl: db.url, driverOptions: { connection }, pool } });

  // Session tokens raw: these checks need the value itself to reach the database and its error
  // (hashed tokens, the default, never do; see test/persistence/secretsAtRest.test.ts).
  describe("leaks", () => leakChecks(() => createAdapterKit({ database: db.url, sessionTokens: "raw" })));

  test("INVALID_INPUT from the database (both facades): too long for its column, a NUL byte", async () => {
    const kit = createAdapterKit({ database: db.url, sessionTokens: "raw" });
    try {
      const user = await kit.authjs.createUser({ email: email(), emailVerified: null });
      const tokens = { access_token: secret("gho"), refresh_token: secret("ghr"), id_token: secret("idt") };
      const long = { userId: user.id, type: "oauth" as const, provider: "github", providerAccountId: secret("gh"), token_type: `${"x".repeat(300)}` as "bearer", ...tokens };
      await refusal(() => kit.authjs.linkAccount(long), "INVALID_INPUT", Object.values(tokens));
      const nul = `${secret("session")}\u0000`;
      await refusal(() => kit.authjs.createSession({ sessionToken: nul, userId: user.id, expires: inAMinute() }), "INVALID_INPUT", [nul.slice(0, -1)]);
      const v3 = await kit.legacy.getAdapter({ secret: "s" });
      const [refresh, access] = [secret("v3r"), secret("v3a")];
      await refusal(() => v3.linkAccount(user.id, "google", "x".repeat(40) as "oauth", secret("g"), refresh, access, null), "INVALID_INPUT", [refresh, access]);
    } finally {
      await kit.close();
    }
  });

  test("a statement timeout and a client read timeout (both facades): DATABASE_UNAVAILABLE, nothing leaks, the pool recovers", async () => {
    const server = createAdapterKit({ database: { driver: PostgreSqlDriver, clientUrl: db.url, driverOptions: { connection: { statement_timeout: 300, query_timeout: 10_000 } } } });
    const client = kitWith({ statement_timeout: 0, query_timeout: 300 });
    try {
      const user = await server.authjs.createUser({ email: email(), emailVerified: null });
      await withClient(db.url, async (locker) => {
        await locker.query("begin");
        await locker.query("lock table sessions in access exclusive mode");
        for (const kit of [server, client]) {
          const sessionToken = secret("session");
          const error = await refusal(() => kit.authjs.createSession({ sessionToken, userId: user.id, expires: inAMinute() }), "DATABASE_UNAVAILABLE", [sessionToken]);
          expect(error.message).toMatch(/did not answer in time/);
          const v3 = await kit.legacy.getAdapter({ secret: "s" });
          const looked = secret("v3session");
          await refusal(() => v3.getSession(looked), "DATABASE_UNAVAILABLE", [looked]);
        }
        await locker.query("rollback");
      });
      for (const kit of [server, client]) {
        const sessionToken = secret("after");
        await kit.authjs.createSession({ sessionToken, userId: user.id, expires: inAMinute() });
        expect((await kit.authjs.getSessionAndUser(sessionToken))?.user.id).toBe(user.id);
      }
    } finally {
      await server.close();
      await client.close();
    }
  });

  test("a pool that cannot hand out a connection in time says so, without knex's advice about transactions", async () => {
    const kit = kitWith({ statement_timeout: 2000 }, { min: 0, max: 1, acquireTimeoutMillis: 200 });
    try {
      const user = await kit.authjs.createUser({ email: email(), emailVerified: null });
      await withClient(db.url, async (locker) => {
        await locker.query("begin");
        await locker.query("lock table sessions in access exclusive mode");
        const blocked = kit.authjs.createSession({ sessionToken: secret("s"), userId: user.id, expires: inAMinute() }).catch((e) => e);
        const error = await refusal(() => kit.authjs.getUser(user.id), "DATABASE_UNAVAILABLE", [user.id]);
        expect(error.message).toMatch(/did not answer in time/);
        expect(JSON.stringify(error) + error.message).not.toMatch(/pool is probably full|transacting/);
        await locker.query("rollback");
        await blocked;
      });
    } finally {
      await kit.close();
    }
  });

  test("after a burst, pg_stat_activity shows the kit's statements with placeholders only", async () => {
    const kit = createAdapterKit({ database: db.url });
    const secrets: string[] = [];
    try {
      const v3 = await kit.legacy.getAdapter({ secret: "s" });
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          const mail = email();
          const sessionToken = secret("session");
          const access = secret("gho");
          secrets.push(mail, sessionToken, access);
          const user = await kit.authjs.createUser({ email: mail, emailVerified: null });
          await kit.authjs.createSession({ sessionToken, userId: user.id, expires: inAMinute() });
          await kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: mail, access_token: access });
          await Promise.all([kit.authjs.getSessionAndUser(sessionToken), kit.authjs.getUserByEmail(mail), v3.getSession(sessionToken), kit.authjs.updateSession({ sessionToken, expires: inAMinute() })]);
        }),
      );
      const rows = await query<{ query: string }>(
        db.url,
        "select query from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'",
      );
      const statements = rows.map((r) => r.query).filter(Boolean);
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.filter((q) => secrets.some((s) => q.includes(s)))).toEqual([]);
      // Every statement with a where clause or values binds them: `$1`, never a quoted literal.
      for (const q of statements.filter((q) => /\bwhere\b|\bvalues\b/i.test(q))) {
        expect(q).toMatch(/\$1\b/);
        expect(q).not.toMatch(/'/);
      }
    } finally {
      await kit.close();
    }
  });

  test("a database that does not exist is named (and only its name), and is not created", async () => {
    const name = `kit_missing_${randomBytes(4).toString("hex")}`;
    for (const synchronize of [false, true]) {
      const kit = createAdapterKit({ database: `postgresql://postgres:hunter2@127.0.0.1:5432/${name}`, synchronize });
      try {
        const error = await kit.authjs.getUser("x").catch((e) => e);
        expect(error).toMatchObject({ code: "CONFIGURATION" });
        expect(error.message).toContain(`"${name}"`);
        expect(leakedBy(error, ["hunter2", "127.0.0.1", "5432", "postgres:"])).toEqual([]);
        // kit.migrate() neither: MikroORM's Migrator would create the database on its own.
        const migrating = await kit.migrate().catch((e) => e);
        expect(migrating).toMatchObject({ code: "CONFIGURATION" });
        expect(migrating.message).toContain(`"${name}"`);
      } finally {
        await kit.close();
      }
    }
    expect(await query(`${PG_SERVER}/postgres`, "select 1 from pg_database where datname = $1", [name])).toEqual([]);
  });

  test("rawDatabaseErrors: true keeps the driver's error as the cause (development only)", async () => {
    const kit = createAdapterKit({ database: db.url, rawDatabaseErrors: true });
    try {
      const mail = email();
      await kit.authjs.createUser({ email: mail, emailVerified: null });
      const error = await kit.authjs.createUser({ email: mail, emailVerified: null }).catch((e) => e);
      expect(error).toMatchObject({ code: "CONFLICT", cause: { code: "23505" } });
      expect(error.cause).toBeInstanceOf(Error);
    } finally {
      await kit.close();
    }
  });
});

describe("SQLite", () => {
  const dir = mkdtempSync(join(tmpdir(), "kit-leaks-"));
  const file = join(dir, "kit.sqlite");
  const deny = { sessions: "sessions_deny", accounts: "accounts_deny" };
  beforeAll(async () => {
    const setup = createAdapterKit({ database: `sqlite:${file}`, synchronize: true });
    await setup.synchronize();
    await setup.close();
    const sqlite = new Database(file);
    // SQLite cannot add a CHECK to a table: triggers refuse the same rows, quoting them in the message.
    sqlite.exec(`create trigger ${deny.sessions} before insert on sessions when new.session_token like 'deny-%' begin select raise(abort, 'denied ' || new.session_token); end`);
    sqlite.exec(`create trigger ${deny.accounts} before insert on accounts when new.access_token like 'deny-%' begin select raise(abort, 'denied ' || new.access_token); end`);
    sqlite.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe("leaks", () => leakChecks(() => createAdapterKit({ database: `sqlite:${file}`, sessionTokens: "raw" })));
});
