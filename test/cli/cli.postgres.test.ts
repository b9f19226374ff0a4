/**
 * `nextauth-adapter-kit` end to end on PostgreSQL: each command spawned as a user runs it, on a
 * database of the test's own, checked against what is really in the tables.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { randomBytes } from "node:crypto";
import { encryptAccountTokens } from "../../plugins";
import { createAdapterKit } from "../../src";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { closedPort } from "../support/silentServer";
import { expectOneLine, runCli } from "./runCli";

const HOUR = 3600_000;

async function tableNames(url: string): Promise<string[]> {
  const rows = await query<{ table_name: string }>(url, "select table_name from information_schema.tables where table_schema = 'public' order by 1");
  return rows.map((r) => r.table_name);
}

describe("CLI on PostgreSQL", () => {
  let db: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = { DATABASE_URL: db.url };
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("migrate status and doctor report an empty database; migrate up fixes it", async () => {
    const status = await runCli(["migrate", "status", "--json"], env);
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toEqual({ ok: false, applied: [], pending: ["Migration20261126000000", "Migration20261202000000"] });

    const doctor = await runCli(["doctor"], env);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('x table "users" is missing');
    expect(doctor.stdout).toContain("fix: run `nextauth-adapter-kit migrate up`");
    expect(doctor.stdout).toContain("replicas    none configured");
    expect(doctor.stdout).toMatch(/create table "sessions"/);
    expect(await tableNames(db.url)).toEqual([]); // doctor only looks

    const up = await runCli(["migrate", "up"], env);
    expect(up).toMatchObject({ code: 0, stdout: "applied 2: Migration20261126000000, Migration20261202000000\n" });
    expect(await tableNames(db.url)).toEqual(["accounts", "auth_kit_migrations", "authenticators", "sessions", "users", "verification_tokens"]);

    expect(await runCli(["migrate", "status"], env)).toMatchObject({ code: 0, stdout: "applied  Migration20261126000000\napplied  Migration20261202000000\nup to date\n" });
    const healthy = await runCli(["doctor", "--json"], env);
    expect(healthy.code).toBe(0);
    const report = JSON.parse(healthy.stdout);
    expect(report).toMatchObject({ ok: true, findings: [], sql: null, health: { database: { state: "up" }, migrationsPending: { state: "current" } } });
  });

  it("stats counts users, live and expired sessions, pending tokens and accounts per provider; purge-expired deletes the expired ones with progress", async () => {
    const kit = createAdapterKit({ database: db.url });
    const now = Date.now();
    try {
      const users = [];
      for (let i = 0; i < 3; i++) users.push(await kit.authjs.createUser({ email: `stats${i}@example.com`, emailVerified: null }));
      for (let i = 0; i < 5; i++) await kit.authjs.createSession({ sessionToken: `live-${i}`, userId: users[i % 3]!.id, expires: new Date(now + HOUR) });
      for (let i = 0; i < 7; i++) await kit.authjs.createSession({ sessionToken: `old-${i}`, userId: users[i % 3]!.id, expires: new Date(now - HOUR) });
      await kit.authjs.createVerificationToken({ identifier: "a@example.com", token: "t1", expires: new Date(now + HOUR) });
      await kit.authjs.createVerificationToken({ identifier: "b@example.com", token: "t2", expires: new Date(now - HOUR) });
      const link = (userId: string, provider: string, id: string) => kit.authjs.linkAccount({ userId, type: "oauth", provider, providerAccountId: id });
      await link(users[0]!.id, "github", "g1");
      await link(users[1]!.id, "github", "g2");
      await link(users[2]!.id, "google", "o1");
    } finally {
      await kit.close();
    }

    const stats = await runCli(["stats", "--json"], env);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toEqual({
      ok: true,
      users: 3,
      sessions: { live: 5, expired: 7 },
      verificationTokens: { pending: 1, expired: 1 },
      accounts: { total: 3, byProvider: { github: 2, google: 1 } },
    });
    const human = await runCli(["stats"], env);
    expect(human.stdout).toMatch(/sessions\s+5 live, 7 expired/);
    expect(human.stdout).toMatch(/github\s+2/);

    const purge = await runCli(["purge-expired", "--batch-size", "3"], env);
    expect(purge.code).toBe(0);
    expect(purge.stderr).toContain("sessions: 3 deleted so far...");
    expect(purge.stdout).toBe("deleted 7 expired sessions and 1 expired verification tokens\n");
    // Only the live sessions are left (their tokens are stored hashed, so they are told apart by expiry).
    const left = await query<{ expires: Date }>(db.url, "select expires from sessions");
    expect(left).toHaveLength(5);
    expect(left.every((row) => row.expires.getTime() > now)).toBe(true);

    const again = await runCli(["purge-expired", "--json", "--quiet"], env);
    expect(JSON.parse(again.stdout)).toEqual({ ok: true, sessions: 0, verificationTokens: 0, skipped: [] });
    expect(again.stderr).toBe("");
  });

  it("doctor names each table, column and index that differs from the entities, with how to fix it", async () => {
    await query(db.url, "alter table users add column tenant integer not null default 1");
    await query(db.url, "alter table users alter column tenant drop default");
    await query(db.url, "alter table users add column nickname text");
    await query(db.url, "drop index sessions_expires_index");
    await query(db.url, "alter table sessions alter column access_token type varchar(100)");
    await query(db.url, "alter table accounts drop constraint accounts_user_id_foreign");
    try {
      const doctor = await runCli(["doctor"], env);
      expect(doctor.code).toBe(1);
      const out = doctor.stdout;
      expect(out).toContain("x column users.tenant is NOT NULL without a default and not in the entities: the kit's inserts into users fail");
      expect(out).toContain("x index on sessions(expires) is missing");
      expect(out).toContain("x column sessions.access_token differs from the entities: type is varchar(100) in the database, varchar(255) in the entities");
      expect(out).toContain("x foreign key accounts(user_id) -> users is missing");
      expect(out).toContain("- column users.nickname is not in the entities: the kit leaves it alone");
      expect(out).toContain('create index "sessions_expires_index" on "sessions" ("expires");');

      const json = JSON.parse((await runCli(["doctor", "--json"], env)).stdout);
      expect(json.ok).toBe(false);
      expect(json.findings.filter((f: { severity: string }) => f.severity === "problem").map((f: { subject: string }) => f.subject).sort()).toEqual([
        "accounts(user_id)",
        "sessions(expires)",
        "sessions.access_token",
        "users.tenant",
      ]);
      for (const finding of json.findings) expect(finding.fix).toEqual(expect.any(String));
    } finally {
      await query(db.url, "alter table users drop column tenant, drop column nickname");
      await query(db.url, 'create index "sessions_expires_index" on "sessions" ("expires")');
      await query(db.url, "alter table sessions alter column access_token type varchar(255)");
      await query(db.url, 'alter table "accounts" add constraint "accounts_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade');
    }
    expect((await runCli(["doctor"], env)).code).toBe(0);
  });

  it("--config loads the kit's options, so custom table names apply to doctor and stats", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-cli-config-"));
    try {
      const config = join(dir, "auth-kit.config.js");
      const src = relative(dir, join(__dirname, "..", "..", "src")).split("\\").join("/");
      writeFileSync(
        config,
        `const { createEntities } = require(${JSON.stringify(`./${src}`)});\n` +
          `module.exports = { database: process.env.DATABASE_URL, entities: createEntities({ tables: { user: "app_users", session: "app_sessions" } }) };\n`,
      );
      const doctor = await runCli(["doctor", "--config", config], env);
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toContain('x table "app_users" is missing');
      expect(doctor.stdout).toContain('x table "app_sessions" is missing');
      expect(doctor.stdout).toContain("fix: run the SQL below, or `kit.synchronize()` once (it never drops), or a migration generated from the entities your config gives the kit");
      expect(doctor.stdout).toContain("migrations  not applicable (custom layout: the shipped migrations cover the default tables only)");
      expect(doctor.stdout).not.toContain('table "users" is missing');

      // The shipped migrations create the default tables only: a custom layout is refused, in one line.
      const up = await runCli(["migrate", "up", "--config", config], env);
      expect(up.code).toBe(2);
      expect(expectOneLine(up)).toContain("[CONFIGURATION]");

      await query(db.url, "create table app_users (like users including all)");
      await query(db.url, "create table app_sessions (like sessions including all)");
      await query(db.url, "insert into app_users (id, email) values ('u1', 'custom@example.com')");
      const stats = await runCli(["stats", "--json", "--config", config], env);
      expect(stats.code).toBe(0);
      expect(JSON.parse(stats.stdout)).toMatchObject({ users: 1, sessions: { live: 0, expired: 0 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await query(db.url, "drop table if exists app_sessions, app_users");
    }
  });

  it("reencrypt moves every account to the config module's first key, encrypts plaintext ones, and lists a row that does not decrypt", async () => {
    const OLD = { id: "old", key: randomBytes(32).toString("base64") };
    const NEW = { id: "new", key: randomBytes(32).toString("base64") };
    const secrets = ["plain-access-1", "plain-access-2", "old-access-3"];
    const link = (kit: ReturnType<typeof createAdapterKit>, userId: string, n: number, token: string) =>
      kit.authjs.linkAccount({ userId, type: "oauth", provider: "reenc", providerAccountId: `r${n}`, access_token: token });
    const plain = createAdapterKit({ database: db.url });
    const old = createAdapterKit({ database: db.url, plugins: [encryptAccountTokens({ keys: [OLD] })] });
    try {
      await plain.migrate(); // a no-op after the first test, which migrates; this test also runs alone
      const user = await plain.authjs.createUser({ email: "reenc@example.com", emailVerified: null });
      await link(plain, user.id, 1, secrets[0]!);
      await link(plain, user.id, 2, secrets[1]!);
      await link(old, user.id, 3, secrets[2]!);
    } finally {
      await Promise.all([plain.close(), old.close()]);
    }
    const dir = mkdtempSync(join(tmpdir(), "kit-cli-reencrypt-"));
    try {
      const config = join(dir, "auth-kit.config.js");
      const root = relative(dir, join(__dirname, "..", "..")).split("\\").join("/");
      writeFileSync(
        config,
        `const { encryptAccountTokens } = require(${JSON.stringify(`./${root}/plugins`)});\n` +
          `module.exports = { database: process.env.DATABASE_URL, plugins: [encryptAccountTokens({ keys: ${JSON.stringify([NEW, OLD])}, allowPlaintext: true })] };\n`,
      );
      const run = await runCli(["reencrypt", "--json", "--batch-size", "2", "--config", config], env);
      expect(run.code).toBe(0);
      const [{ n: accounts }] = await query<{ n: number }>(db.url, "select count(*)::int as n from accounts");
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, scanned: accounts, plaintextEncrypted: 2, rewritten: 1, failed: 0, done: true });
      const rows = await query<{ access_token: string }>(db.url, "select access_token from accounts where provider = 'reenc'");
      expect(rows.map((r) => r.access_token.startsWith("enc:v1:new:"))).toEqual([true, true, true]);
      for (const secret of secrets) expect(JSON.stringify(rows)).not.toContain(secret);

      // A value someone altered: reported by key, provider and column (never a value), exit 1.
      await query(db.url, "update accounts set access_token = 'enc:v1:new:AAAA' where provider_account_id = 'r2'");
      const again = await runCli(["reencrypt", "--config", config], env);
      expect(again.code).toBe(1);
      expect(again.stdout).toMatch(/did not decrypt: account \S+ \(reenc\), column access_token/);
      expect(again.stdout).not.toContain("AAAA");
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await query(db.url, "delete from users where email = 'reenc@example.com'"); // its accounts go with it
    }
  });

  it("doctor checks each read replica of a --config module: one answering, one down", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-cli-replicas-"));
    try {
      const config = join(dir, "auth-kit.config.js");
      const port = await closedPort();
      writeFileSync(
        config,
        `const { PostgreSqlDriver } = require(${JSON.stringify(require.resolve("@mikro-orm/postgresql"))});\n` +
          "module.exports = () => ({ database: { driver: PostgreSqlDriver, clientUrl: process.env.DATABASE_URL, replicas: [\n" +
          "  { name: 'near', clientUrl: process.env.DATABASE_URL },\n" +
          `  { name: 'far', host: '127.0.0.1', port: ${port}, password: 'replica-pw-123' },\n` +
          "] } });\n",
      );
      const doctor = await runCli(["doctor", "--config", config], env);
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toMatch(/replicas {4}near up \([\d.]+ ms\), far down/);
      expect(doctor.stdout).toContain("x replica far is down");
      expect(doctor.stdout).toContain("fix: check that it runs and accepts the kit's connections");
      expect(doctor.stdout + doctor.stderr).not.toContain("replica-pw-123");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("migrate down needs --yes, then reverts the last migration", async () => {
    const refused = await runCli(["migrate", "down"], env);
    expect(refused.code).toBe(2);
    expect(expectOneLine(refused)).toContain("add --yes if you mean it");
    expect(await tableNames(db.url)).toContain("users");

    // One migration per run: the counter's type (tables stay), then the tables.
    const first = await runCli(["migrate", "down", "--confirm", "--json"], env);
    expect(JSON.parse(first.stdout)).toEqual({ ok: true, action: "down", reverted: ["Migration20261202000000"] });
    expect(await tableNames(db.url)).toContain("users");
    const down = await runCli(["migrate", "down", "--confirm", "--json"], env);
    expect(down.code).toBe(0);
    expect(JSON.parse(down.stdout)).toEqual({ ok: true, action: "down", reverted: ["Migration20261126000000"] });
    expect(await tableNames(db.url)).toEqual(["auth_kit_migrations"]);
  });
});
