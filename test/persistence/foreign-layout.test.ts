/**
 * The kit pointed at tables of its own names but another adapter's layout (here
 * `@auth/pg-adapter`'s camelCase columns), without the preset for them: `kit.migrate()` refuses to
 * adopt them, naming what is missing, and operations fail with CONFIGURATION saying the layout does
 * not match, on PostgreSQL, on MariaDB through both drivers and on SQLite.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdapterKit, KIT_MIGRATIONS_TABLE, type AdapterKit } from "../../src";
import { createTestDatabase, query } from "../support/database";
import { createTestMariaDb, mariaQuery } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";

/** better-sqlite3 opened directly, to make the other adapter's tables (it ships no types). */
const Database: new (file: string) => { exec(sql: string): void; prepare(sql: string): { get(): unknown }; close(): void } = require("better-sqlite3");

/** The five kit table names with another adapter's columns (`"userId"`, `"sessionToken"`, ...). */
const foreignTables = (q: (name: string) => string, serial: string) => [
  `create table users (id ${serial}, name varchar(255), email varchar(255), ${q("emailVerified")} timestamp null, image text)`,
  `create table accounts (id ${serial}, ${q("userId")} integer not null, type varchar(255) not null, provider varchar(255) not null, ${q("providerAccountId")} varchar(255) not null, refresh_token text, access_token text, expires_at bigint, id_token text, scope text, session_state text, token_type text)`,
  `create table sessions (id ${serial}, ${q("userId")} integer not null, expires timestamp not null, ${q("sessionToken")} varchar(255) not null)`,
  `create table verification_tokens (identifier varchar(255) not null, expires timestamp not null, token varchar(255) not null, primary key (identifier, token))`,
  `create table authenticators (${q("credentialID")} varchar(255) primary key)`,
];

const MIGRATE_REFUSAL = /^kit\.migrate\(\): tables of the kit's names exist but lack its columns: users \(email_verified\); accounts \(user_id, provider_account_id\); sessions \(session_token, user_id, access_token\); authenticators \(credential_id, .*pgAdapterEntities\(\)/;

async function expectMismatchReported(kit: AdapterKit): Promise<void> {
  const migrated = await kit.migrate().catch((e: unknown) => e);
  expect(migrated).toMatchObject({ code: "CONFIGURATION", message: expect.stringMatching(MIGRATE_REFUSAL) });
  for (const call of [() => kit.authjs.getSessionAndUser("a-session-token"), () => kit.authjs.createUser({ email: "ada@example.com", emailVerified: null } as never)]) {
    const error = await call().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining("a column the kit's entities name is not in its table") });
    expect((error as Error).message).not.toContain("ada@example.com");
  }
}

test("PostgreSQL: another adapter's tables are not adopted by kit.migrate(), and calls say the layout does not match", async () => {
  const db = await createTestDatabase();
  const kit = createAdapterKit({ database: db.url });
  try {
    for (const statement of foreignTables((name) => `"${name}"`, "serial primary key")) await query(db.url, statement);
    await expectMismatchReported(kit);
    // Nothing recorded as applied: with the right entities, migrations or synchronize still start clean.
    expect(await query(db.url, `select count(*)::int n from ${KIT_MIGRATIONS_TABLE}`)).toEqual([{ n: 0 }]);
  } finally {
    await kit.close();
    await db.drop();
  }
});

describe.each(MYSQL_DRIVERS)("MariaDB through the $name driver", ({ url }) => {
  test("another adapter's tables are not adopted by kit.migrate(), and calls say the layout does not match", async () => {
    const db = await createTestMariaDb();
    const kit = createAdapterKit({ database: url(db) });
    try {
      for (const statement of foreignTables((name) => `\`${name}\``, "integer auto_increment primary key")) await mariaQuery(db.mysqlUrl, statement);
      await expectMismatchReported(kit);
      expect(await mariaQuery(db.mysqlUrl, `select count(*) as n from ${KIT_MIGRATIONS_TABLE}`)).toEqual([{ n: 0 }]);
    } finally {
      await kit.close();
      await db.drop();
    }
  });
});

test("SQLite: the missing column is found by comparing the table's columns, not by reading SQLite's message", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kit-foreign-"));
  const file = join(dir, "auth.sqlite");
  const sqlite = new Database(file);
  const kit = createAdapterKit({ database: `sqlite:${file}` });
  try {
    for (const statement of foreignTables((name) => `"${name}"`, "integer primary key")) sqlite.exec(statement);
    await expectMismatchReported(kit);
    const error = await kit.authjs.getSessionAndUser("a-session-token").catch((e: unknown) => e);
    // SQLite says only SQLITE_ERROR; the kit names the table and the column it looked up.
    expect(error).toMatchObject({ cause: { kind: "undefined_column", errno: "SQLITE_ERROR", table: "sessions", column: "session_token" } });
    expect(sqlite.prepare(`select count(*) as n from ${KIT_MIGRATIONS_TABLE}`).get()).toEqual({ n: 0 });
  } finally {
    await kit.close();
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
