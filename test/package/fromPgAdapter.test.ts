/**
 * The README's "Coming from @auth/pg-adapter" steps, followed on a database laid out as that
 * adapter's schema.sql documents and used by the adapter itself (users, a session, an OAuth account
 * and a pending e-mail link it wrote). After the steps the kit serves all of it and signs in anew.
 */
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { Pool } from "pg";
import { AdapterError, createAdapterKit, pgAdapterEntities, type AdapterKit, type AuthjsAdapter } from "../../src";
import { signInByEmail } from "../../examples/shared/signInByEmail";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { doctorWithPreset } from "./support/presetDoctor";

let db: TestDatabase;
const kits: AdapterKit[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const kit of kits) await kit.close();
  await db?.drop();
});

const SECRET = "from-pg-adapter-secret-0123456789abcdef";
const inTenMinutes = () => new Date(Date.now() + 10 * 60_000);
const kit = (options: object = {}) => {
  const made = createAdapterKit({ database: db.url, entities: pgAdapterEntities(), secret: SECRET, ...options });
  kits.push(made);
  return made;
};

/** The layout of @auth/pg-adapter's schema.sql: serial ids, camelCase columns, no foreign key, no unique key. */
const PG_ADAPTER_LAYOUT = `
create table verification_token (identifier text not null, expires timestamptz not null, token text not null, primary key (identifier, token));
create table accounts (id serial, "userId" integer not null, type varchar(255) not null, provider varchar(255) not null,
  "providerAccountId" varchar(255) not null, refresh_token text, access_token text, expires_at bigint, id_token text,
  scope text, session_state text, token_type text, primary key (id));
create table sessions (id serial, "userId" integer not null, expires timestamptz not null, "sessionToken" varchar(255) not null, primary key (id));
create table users (id serial, name varchar(255), email varchar(255), "emailVerified" timestamptz, image text, primary key (id));`;

const TABLES = ["users", "accounts", "sessions", "verification_token"];
const columns = () =>
  query(db.url, `select table_name, column_name, data_type, character_maximum_length, is_nullable, column_default from information_schema.columns where table_schema = 'public' and table_name = any($1) order by 1, 2`, [TABLES]);
const counts = () =>
  query(db.url, `select (select count(*) from users) users, (select count(*) from sessions) sessions, (select count(*) from accounts) accounts, (select count(*) from verification_token) tokens`);

/** The app before: the adapter's tables, and its own writes. */
async function lifeWithTheOldAdapter() {
  await query(db.url, PG_ADAPTER_LAYOUT);
  const { default: PostgresAdapter } = await import("@auth/pg-adapter");
  const pool = new Pool({ connectionString: db.url });
  try {
    const adapter = PostgresAdapter(pool) as unknown as AuthjsAdapter;
    const ada = await signInByEmail(adapter, "ada@example.com");
    const grace = await adapter.createUser({ email: "grace@example.com", emailVerified: null, name: "Grace" } as never);
    await adapter.linkAccount({ userId: grace.id, type: "oauth", provider: "github", providerAccountId: "4242", access_token: "gho_old", scope: "read:user", expires_at: 2_000_000_000 });
    const pendingToken = randomBytes(32).toString("hex"); // as @auth/core hands it to adapters: already hashed
    await adapter.createVerificationToken({ identifier: "linus@example.com", token: pendingToken, expires: inTenMinutes() });
    return { ada, grace, pendingToken };
  } finally {
    await pool.end();
  }
}

test("after the README's steps the kit serves the old adapter's users, session, account and pending link, and signs in anew", async () => {
  const before = await lifeWithTheOldAdapter();
  const [columnsBefore, rowsBefore] = [await columns(), await counts()];

  // Step 1: the preset, with the read window for the raw session tokens the adapter stored.
  const migrating = kit({ acceptRawSessionTokens: true });
  // Step 2, once (a deploy step): keys, indexes and the authenticators table; no column or row changes.
  await migrating.synchronize();
  expect(await columns()).toEqual(columnsBefore);
  expect(await counts()).toEqual(rowsBefore);
  const added = await query(db.url, `select conrelid::regclass::text tbl, contype from pg_constraint where contype in ('u', 'f') and connamespace = 'public'::regnamespace order by 1, 2`);
  expect(added).toEqual([
    { tbl: "accounts", contype: "u" },
    { tbl: "sessions", contype: "u" },
    { tbl: "users", contype: "u" },
  ]);
  // Step 3: `adapter: kit.authjs` in the Auth.js config.
  const adapter = migrating.authjs;

  // Ids stay the integers the adapter made; it handed them out as numbers (1), the kit as strings ("1").
  expect(before.ada.user.id).toEqual(expect.any(Number));
  const session = await adapter.getSessionAndUser(before.ada.session.sessionToken);
  expect(session).toEqual({
    session: { sessionToken: before.ada.session.sessionToken, userId: String(before.ada.user.id), expires: before.ada.session.expires },
    user: { id: String(before.ada.user.id), email: "ada@example.com", name: null, image: null, emailVerified: expect.any(Date) },
  });
  expect(await adapter.getUserByAccount({ provider: "github", providerAccountId: "4242" })).toMatchObject({ id: String(before.grace.id), name: "Grace" });
  expect(await adapter.getAccount!("4242", "github")).toMatchObject({ userId: String(before.grace.id), access_token: "gho_old", scope: "read:user", expires_at: 2_000_000_000 });
  expect(await adapter.useVerificationToken({ identifier: "linus@example.com", token: before.pendingToken })).toMatchObject({ identifier: "linus@example.com" });
  expect(await adapter.useVerificationToken({ identifier: "linus@example.com", token: before.pendingToken })).toBeNull();

  // Step 4: the old sessions hashed once; the window can close, and Ada is still signed in.
  expect(await migrating.hashSessionTokens()).toMatchObject({ hashed: 1, done: true });
  expect(await query(db.url, `select 1 from sessions where "sessionToken" = $1`, [before.ada.session.sessionToken])).toEqual([]);
  const after = kit().authjs;
  expect(await after.getSessionAndUser(before.ada.session.sessionToken)).toMatchObject({ user: { id: String(before.ada.user.id) } });

  const again = await signInByEmail(after, "ada@example.com");
  expect(again.user.id).toBe(String(before.ada.user.id));
  const fresh = await signInByEmail(after, "linus@example.com");
  expect(fresh.user.id).toMatch(/^\d+$/);
  expect(await after.getSessionAndUser(fresh.session.sessionToken)).toMatchObject({ user: { email: "linus@example.com" } });
  await after.createAuthenticator!({ credentialID: "cred-1", userId: fresh.user.id, providerAccountId: "cred-1", credentialPublicKey: "pk", counter: 0, credentialDeviceType: "singleDevice", credentialBackedUp: false, transports: null });
  expect(await after.listAuthenticatorsByUserId!(fresh.user.id)).toMatchObject([{ credentialID: "cred-1" }]);

  // The keys synchronize added: a second account for the same provider account is a CONFLICT.
  const taken = await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "github", providerAccountId: "4242" }).catch((e: unknown) => e);
  expect(taken).toBeInstanceOf(AdapterError);
  expect(taken).toMatchObject({ code: "CONFLICT" });

  // Deleting a user takes its sessions and accounts with it (the tables have no foreign keys).
  await after.deleteUser!(String(before.grace.id));
  expect(await after.getUserByAccount({ provider: "github", providerAccountId: "4242" })).toBeNull();
  expect(await query(db.url, `select count(*)::int n from accounts where "userId" = $1`, [before.grace.id])).toEqual([{ n: 0 }]);
});

test("duplicate e-mails the adapter let in: synchronize names the key, never the e-mail, changes nothing; a run after removing them completes", async () => {
  const other = await createTestDatabase();
  try {
    await query(other.url, PG_ADAPTER_LAYOUT);
    await query(other.url, `insert into users (email) values ('twice@example.com'), ('twice@example.com')`);
    const migrating = createAdapterKit({ database: other.url, entities: pgAdapterEntities(), secret: SECRET, acceptRawSessionTokens: true });
    kits.push(migrating);
    const failure = await migrating.synchronize().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AdapterError);
    expect(failure).toMatchObject({ code: "CONFLICT", message: expect.stringContaining('unique key "users_email_unique"') });
    for (const shown of [inspect(failure, { depth: 10 }), JSON.stringify(failure), JSON.stringify((failure as Error).cause)]) expect(shown).not.toContain("twice@");
    // One transaction: the table, keys and indexes before the failing key are not left behind.
    expect(await query(other.url, `select to_regclass('authenticators') is null as none`)).toEqual([{ none: true }]);
    expect(await query(other.url, `select count(*)::int n from pg_indexes where schemaname = 'public' and indexname not like '%pkey'`)).toEqual([{ n: 0 }]);

    await query(other.url, `delete from users where id = (select max(id) from users)`);
    await migrating.synchronize();
    const uniques = await query(other.url, `select conname from pg_constraint where contype = 'u' and connamespace = 'public'::regnamespace order by 1`);
    expect(uniques.map((u) => u.conname)).toEqual(["accounts_provider_providerAccountId_unique", "sessions_sessionToken_unique", "users_email_unique"]);
  } finally {
    await other.drop();
  }
});

test("doctor with the preset reviews step 2: the missing keys, indexes and table, and SQL that alters no column", async () => {
  await doctorWithPreset(PG_ADAPTER_LAYOUT, "pgAdapterEntities", async (doctor, url) => {
    expect(doctor.code).toBe(1);
    for (const problem of [
      'table "authenticators" is missing',
      "unique index on users(email) is missing",
      "unique index on sessions(sessionToken) is missing",
      "unique index on accounts(provider, providerAccountId) is missing",
      "index on sessions(userId) is missing",
    ]) {
      expect(doctor.stdout).toContain(problem);
    }
    expect(doctor.stdout).toContain("8 problem(s)");
    // The fix is the README's step 2, not the default layout's createEntities.
    expect(doctor.stdout).toContain("`kit.synchronize()` once");
    expect(doctor.stdout).not.toContain("createEntities");
    expect(doctor.stdout).not.toMatch(/alter column|drop /i);
    expect(await query(url, `select count(*)::int n from pg_constraint where contype = 'u' and connamespace = 'public'::regnamespace`)).toEqual([{ n: 0 }]);
  });
});
