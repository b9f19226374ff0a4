/**
 * `drizzleAdapterEntities({ dialect: "sqlite" })`: the SQLite tables `@auth/drizzle-adapter`
 * defines (`sqliteTable`: `text` columns, timestamps as `integer` milliseconds, booleans as
 * `integer`), written by the adapter itself through drizzle-orm's better-sqlite3 driver, then
 * served by the kit after the README's steps; `synchronize()` changes no column or key.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdapterError, createAdapterKit, drizzleAdapterEntities, type AdapterKit, type AuthjsAdapter } from "../../src";
import { signInByEmail } from "../../examples/shared/signInByEmail";
import { expectKitServesOldLife, lifeWithOldAdapter } from "./support/oldAdapterLife";
import { doctorWithPreset, expectOnlyMissingIndexes } from "./support/presetDoctor";

/** better-sqlite3 opened directly (it ships no types). */
interface Sqlite {
  exec(sql: string): void;
  prepare(sql: string): { all(...values: unknown[]): Record<string, unknown>[] };
  close(): void;
}
const Database: new (file: string) => Sqlite = require("better-sqlite3");

/** What drizzle-kit generates for the adapter's SQLite `defineTables()`. */
const DRIZZLE_SQLITE_LAYOUT = [
  "create table `user` (`id` text primary key not null, `name` text, `email` text, `emailVerified` integer, `image` text)",
  "create unique index `user_email_unique` on `user` (`email`)",
  "create table `account` (`userId` text not null, `type` text not null, `provider` text not null, `providerAccountId` text not null, `refresh_token` text, " +
    "`access_token` text, `expires_at` integer, `token_type` text, `scope` text, `id_token` text, `session_state` text, primary key(`provider`, `providerAccountId`), " +
    "foreign key (`userId`) references `user`(`id`) on update no action on delete cascade)",
  "create table `session` (`sessionToken` text primary key not null, `userId` text not null, `expires` integer not null, " +
    "foreign key (`userId`) references `user`(`id`) on update no action on delete cascade)",
  "create table `verificationToken` (`identifier` text not null, `token` text not null, `expires` integer not null, primary key(`identifier`, `token`))",
  "create table `authenticator` (`credentialID` text not null, `userId` text not null, `providerAccountId` text not null, `credentialPublicKey` text not null, " +
    "`counter` integer not null, `credentialDeviceType` text not null, `credentialBackedUp` integer not null, `transports` text, primary key(`userId`, `credentialID`), " +
    "foreign key (`userId`) references `user`(`id`) on update no action on delete cascade)",
  "create unique index `authenticator_credentialID_unique` on `authenticator` (`credentialID`)",
];

let dir: string;
let file: string;
const kits: AdapterKit[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kit-drizzle-sqlite-"));
  file = join(dir, "auth.sqlite");
  const sqlite = new Database(file);
  try {
    for (const statement of DRIZZLE_SQLITE_LAYOUT) sqlite.exec(statement);
  } finally {
    sqlite.close();
  }
});
afterAll(async () => {
  for (const kit of kits) await kit.close();
  rmSync(dir, { recursive: true, force: true });
});

const SECRET = "from-drizzle-sqlite-secret-0123456789abcdef";
const ENTITIES = { dialect: "sqlite" } as const;
const kit = (options: object = {}) => {
  const made = createAdapterKit({ database: `sqlite:${file}`, entities: drizzleAdapterEntities(ENTITIES), secret: SECRET, ...options });
  kits.push(made);
  return made;
};

/** Reads the file directly. */
function sql(text: string, ...values: unknown[]): Record<string, unknown>[] {
  const sqlite = new Database(file);
  try {
    return sqlite.prepare(text).all(...values);
  } finally {
    sqlite.close();
  }
}

/** `fn` with the old adapter: `DrizzleAdapter(drizzle(sqlite))` on better-sqlite3, as the app made it. */
async function withDrizzleAdapter<T>(fn: (adapter: AuthjsAdapter) => Promise<T>): Promise<T> {
  const { drizzle } = await import("drizzle-orm/better-sqlite3");
  const { DrizzleAdapter } = await import("@auth/drizzle-adapter");
  const sqlite = new Database(file);
  try {
    return await fn(DrizzleAdapter(drizzle(sqlite as never)) as unknown as AuthjsAdapter);
  } finally {
    sqlite.close();
  }
}

const schemaNow = () => [
  sql("select name, sql from sqlite_master where type in ('table', 'index') and name not like 'sqlite_%' order by name"),
];

test("after the README's steps the kit serves the old adapter's user, session, account and pending link, and signs in anew", async () => {
  const before = await lifeWithOldAdapter(withDrizzleAdapter, { provider: "github", providerAccountId: "4242", access_token: "gho_old", scope: "read:user", expires_at: 2_000_000_000 });
  const tablesBefore = schemaNow();

  const migrating = kit({ acceptRawSessionTokens: true });
  await migrating.synchronize();
  // Only the kit's indexes were added: every table is as drizzle-kit made it.
  const tablesAfter = schemaNow()[0]!;
  for (const table of tablesBefore[0]!) expect(tablesAfter).toContainEqual(table);
  expect(tablesAfter.filter((row) => !tablesBefore[0]!.some((b) => b.name === row.name)).every((row) => /^create index/i.test(String(row.sql)))).toBe(true);
  expect(before.seen.session.expires).toEqual(before.ada.session.expires);
  const afterKit = kit();
  await expectKitServesOldLife(migrating, afterKit, before);
  const after = afterKit.authjs;

  const fresh = await signInByEmail(after, "linus@example.com");
  // Milliseconds in an integer, as Drizzle's `timestamp_ms` keeps them.
  expect(sql("select expires from session where userId = ?", fresh.user.id)).toEqual([{ expires: fresh.session.expires.getTime() }]);
  await withDrizzleAdapter(async (old) => {
    expect(await old.getUserByEmail("linus@example.com")).toEqual(fresh.user);
  });
  await after.createAuthenticator!({ credentialID: "cred-1", userId: fresh.user.id, providerAccountId: "cred-1", credentialPublicKey: "pk", counter: 0, credentialDeviceType: "singleDevice", credentialBackedUp: true, transports: null });
  expect(await after.updateAuthenticatorCounter!("cred-1", 5)).toMatchObject({ counter: 5, credentialBackedUp: true });
  await withDrizzleAdapter(async (old) => {
    expect(await old.getAuthenticator!("cred-1")).toMatchObject({ counter: 5, credentialBackedUp: true });
  });
  const taken = await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "github", providerAccountId: "4242" }).catch((e: unknown) => e);
  expect(taken).toBeInstanceOf(AdapterError);
  expect(taken).toMatchObject({ code: "CONFLICT" });
  await after.deleteUser!(before.grace.id);
  expect(await after.getUserByAccount({ provider: "github", providerAccountId: "4242" })).toBeNull();
});

test("doctor with the preset: the kit's indexes only, and SQL that changes no column or key", async () => {
  await doctorWithPreset({ sqlite: DRIZZLE_SQLITE_LAYOUT }, "drizzleAdapterEntities", async (doctor) => {
    expectOnlyMissingIndexes(doctor, ["session(userId)", "session(expires)", "account(userId)", "verificationToken(expires)"]);
  }, JSON.stringify(ENTITIES));
});
