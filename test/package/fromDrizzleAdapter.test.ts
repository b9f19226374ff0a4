/**
 * The README's "Coming from @auth/drizzle-adapter" steps, followed on a database laid out as
 * drizzle-kit makes that adapter's PostgreSQL schema and written by the adapter itself (a user with
 * a session, an OAuth account, a pending e-mail link). After the steps the kit serves all of it and
 * signs in anew. Drizzle keeps UTC in zone-less timestamps: so does the kit, in any zone.
 */
import { randomBytes } from "node:crypto";
import { Pool } from "pg";
import { encryptAccountTokens } from "../../plugins";
import { AdapterError, createAdapterKit, drizzleAdapterEntities, type AdapterKit, type AuthjsAdapter } from "../../src";
import { signInByEmail } from "../../examples/shared/signInByEmail";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { expectSameInstantsInZone } from "./support/kitInZone";
import { doctorWithPreset, expectOnlyMissingIndexes } from "./support/presetDoctor";

let db: TestDatabase;
const kits: AdapterKit[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
  await query(db.url, DRIZZLE_LAYOUT);
});
afterAll(async () => {
  for (const kit of kits) await kit.close();
  await db?.drop();
});

const SECRET = "from-drizzle-adapter-secret-0123456789abcdef";
const inTenMinutes = () => new Date(Date.now() + 10 * 60_000);
const kit = (options: object = {}) => {
  const made = createAdapterKit({ database: db.url, entities: drizzleAdapterEntities(), secret: SECRET, ...options });
  kits.push(made);
  return made;
};

/** What drizzle-kit generates for the adapter's `defineTables()` on PostgreSQL. */
const DRIZZLE_LAYOUT = `
create table "user" ("id" text primary key not null, "name" text, "email" text, "emailVerified" timestamp, "image" text,
  constraint "user_email_unique" unique("email"));
create table "account" ("userId" text not null, "type" text not null, "provider" text not null, "providerAccountId" text not null,
  "refresh_token" text, "access_token" text, "expires_at" integer, "token_type" text, "scope" text, "id_token" text, "session_state" text,
  constraint "account_provider_providerAccountId_pk" primary key("provider", "providerAccountId"));
create table "session" ("sessionToken" text primary key not null, "userId" text not null, "expires" timestamp not null);
create table "verificationToken" ("identifier" text not null, "token" text not null, "expires" timestamp not null,
  constraint "verificationToken_identifier_token_pk" primary key("identifier", "token"));
create table "authenticator" ("credentialID" text not null, "userId" text not null, "providerAccountId" text not null,
  "credentialPublicKey" text not null, "counter" integer not null, "credentialDeviceType" text not null, "credentialBackedUp" boolean not null,
  "transports" text, constraint "authenticator_userId_credentialID_pk" primary key("userId", "credentialID"),
  constraint "authenticator_credentialID_unique" unique("credentialID"));
alter table "account" add constraint "account_userId_user_id_fk" foreign key ("userId") references "public"."user"("id") on delete cascade on update no action;
alter table "authenticator" add constraint "authenticator_userId_user_id_fk" foreign key ("userId") references "public"."user"("id") on delete cascade on update no action;
alter table "session" add constraint "session_userId_user_id_fk" foreign key ("userId") references "public"."user"("id") on delete cascade on update no action;`;

const TABLES = ["user", "account", "session", "verificationToken", "authenticator"];
const columns = () =>
  query(db.url, `select table_name, column_name, data_type, datetime_precision, is_nullable, column_default from information_schema.columns where table_schema = 'public' and table_name = any($1) order by 1, 2`, [TABLES]);
const constraints = () => query(db.url, `select conrelid::regclass::text tbl, conname, contype from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2`);
const counts = () =>
  query(db.url, `select (select count(*) from "user") users, (select count(*) from "session") sessions, (select count(*) from "account") accounts, (select count(*) from "verificationToken") tokens`);

/** `fn` with the old adapter: `DrizzleAdapter(drizzle(pool))`, as the app made it. */
async function withDrizzleAdapter<T>(fn: (adapter: AuthjsAdapter) => Promise<T>): Promise<T> {
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { DrizzleAdapter } = await import("@auth/drizzle-adapter");
  const pool = new Pool({ connectionString: db.url });
  try {
    return await fn(DrizzleAdapter(drizzle(pool)) as unknown as AuthjsAdapter);
  } finally {
    await pool.end();
  }
}

/** The app before: its own writes through the adapter. */
function lifeWithTheOldAdapter() {
  return withDrizzleAdapter(async (adapter) => {
    const ada = await signInByEmail(adapter, "ada@example.com");
    // Two more signed-in users: the hashing job below takes them in batches of two.
    const others = [await signInByEmail(adapter, "alan@example.com"), await signInByEmail(adapter, "edsger@example.com")];
    const grace = await adapter.createUser({ email: "grace@example.com", emailVerified: null, name: "Grace" } as never);
    await adapter.linkAccount({ userId: grace.id, type: "oauth", provider: "github", providerAccountId: "4242", access_token: "gho_old", scope: "read:user", expires_at: 2_000_000_000 });
    const pendingToken = randomBytes(32).toString("hex"); // as @auth/core hands it to adapters: already hashed
    await adapter.createVerificationToken({ identifier: "linus@example.com", token: pendingToken, expires: inTenMinutes() });
    // What the adapter reads back, to compare the kit's reading with.
    const seen = await adapter.getSessionAndUser(ada.session.sessionToken);
    return { ada, others, grace, pendingToken, seen };
  });
}

test("after the README's steps the kit serves the old adapter's user, session, account and pending link, and signs in anew", async () => {
  const before = await lifeWithTheOldAdapter();
  const [columnsBefore, constraintsBefore, rowsBefore] = [await columns(), await constraints(), await counts()];

  const migrating = kit({ acceptRawSessionTokens: true });
  await migrating.synchronize();
  expect(await columns()).toEqual(columnsBefore);
  expect(await constraints()).toEqual(constraintsBefore);
  expect(await counts()).toEqual(rowsBefore);
  const adapter = migrating.authjs;

  expect(await adapter.getSessionAndUser(before.ada.session.sessionToken)).toEqual(before.seen);
  expect(before.seen?.session.expires).toEqual(before.ada.session.expires);
  expect(await adapter.getUserByAccount({ provider: "github", providerAccountId: "4242" })).toMatchObject({ id: before.grace.id, name: "Grace" });
  expect(await adapter.getAccount!("4242", "github")).toMatchObject({ userId: before.grace.id, access_token: "gho_old", scope: "read:user", expires_at: 2_000_000_000 });
  expect(await adapter.useVerificationToken({ identifier: "linus@example.com", token: before.pendingToken })).toMatchObject({ identifier: "linus@example.com", expires: expect.any(Date) });
  expect(await adapter.useVerificationToken({ identifier: "linus@example.com", token: before.pendingToken })).toBeNull();

  // The sessions are keyed by their token: the job takes the raw ones wherever they are, and
  // neither its progress nor its result carries a token as the cursor.
  const progress: unknown[] = [];
  const hashed = await migrating.hashSessionTokens({ batchSize: 2, onBatch: (p) => void progress.push(p) });
  expect(hashed).toMatchObject({ hashed: 3, done: true, next: null });
  expect(progress).toEqual([{ next: "pending", scanned: 2 }, { next: "pending", scanned: 3 }]);
  const tokens = [before.ada, ...before.others].map((signedIn) => signedIn.session.sessionToken);
  for (const token of tokens) expect(JSON.stringify([hashed, progress])).not.toContain(token);
  expect(await query(db.url, `select count(*)::int n from "session" where "sessionToken" not like 'h1:%'`)).toEqual([{ n: 0 }]);
  expect(await migrating.hashSessionTokens()).toMatchObject({ hashed: 0, scanned: 0, done: true });
  const after = kit().authjs;
  for (const [i, token] of tokens.entries()) {
    expect(await after.getSessionAndUser(token)).toMatchObject({ user: { id: [before.ada, ...before.others][i]!.user.id } });
  }

  const fresh = await signInByEmail(after, "linus@example.com");
  const stored = await query(db.url, `select "expires" at time zone 'UTC' as expires from "session" where "userId" = $1`, [fresh.user.id]);
  expect(stored).toEqual([{ expires: expect.any(Date) }]);
  expect(await after.getSessionAndUser(fresh.session.sessionToken)).toMatchObject({ user: { email: "linus@example.com" }, session: { expires: fresh.session.expires } });
  await after.createAuthenticator!({ credentialID: "cred-1", userId: fresh.user.id, providerAccountId: "cred-1", credentialPublicKey: "pk", counter: 0, credentialDeviceType: "singleDevice", credentialBackedUp: false, transports: null });
  expect(await after.updateAuthenticatorCounter!("cred-1", 5)).toMatchObject({ counter: 5 });
  expect(await after.listAuthenticatorsByUserId!(fresh.user.id)).toMatchObject([{ credentialID: "cred-1", counter: 5 }]);

  // Rows keyed by what they hold: a session by its token, an account by provider and account id.
  const later = new Date(Date.now() + 60 * 24 * 3_600_000);
  expect(await after.updateSession!({ sessionToken: fresh.session.sessionToken, expires: later })).toMatchObject({ expires: later });
  expect(await after.getSessionAndUser(fresh.session.sessionToken)).toMatchObject({ session: { expires: later } });
  await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "gitlab", providerAccountId: "99", access_token: "glpat_x" });
  expect(await after.unlinkAccount!({ provider: "gitlab", providerAccountId: "99" })).toMatchObject({ userId: fresh.user.id });
  expect(await after.getAccount!("99", "gitlab")).toBeNull();
  expect(await after.deleteSession!(fresh.session.sessionToken)).toMatchObject({ userId: fresh.user.id });
  expect(await after.getSessionAndUser(fresh.session.sessionToken)).toBeNull();

  const taken = await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "github", providerAccountId: "4242" }).catch((e: unknown) => e);
  expect(taken).toBeInstanceOf(AdapterError);
  expect(taken).toMatchObject({ code: "CONFLICT" });

  await after.deleteUser!(before.grace.id);
  expect(await after.getUserByAccount({ provider: "github", providerAccountId: "4242" })).toBeNull();
});

test("the adapter's plaintext OAuth tokens are encrypted in place, in batches paged by (provider, account id), and resume where they stopped", async () => {
  const tokens: string[] = [];
  await withDrizzleAdapter(async (old) => {
    const user = await old.createUser({ email: "barbara@example.com", emailVerified: null } as never);
    for (const [provider, providerAccountId] of [["github", "1"], ["github", "2"], ["github", "10"], ["gitlab", "1"], ["google", "7"]]) {
      const access_token = `tok_${randomBytes(8).toString("hex")}`;
      tokens.push(access_token);
      await old.linkAccount({ userId: user.id, type: "oauth", provider: provider!, providerAccountId: providerAccountId!, access_token });
    }
  });
  const plugin = encryptAccountTokens({ keys: [{ id: "2026-12", key: randomBytes(32) }], allowPlaintext: true });
  const encrypting = kit({ plugins: [plugin] });
  const stop = new AbortController();
  const first = await encrypting.reencryptAccountTokens(plugin, { batchSize: 2, signal: stop.signal, onBatch: () => stop.abort() });
  expect(first).toMatchObject({ done: false, scanned: 2, plaintextEncrypted: 2, next: JSON.stringify(["github", "10"]) });
  const rest = await encrypting.reencryptAccountTokens(plugin, { batchSize: 2, after: first.next });
  expect(rest).toMatchObject({ done: true, scanned: 3, plaintextEncrypted: 3, failed: 0, skipped: 0 });
  expect(JSON.stringify([first, rest])).not.toMatch(/tok_/);
  const stored = await query(db.url, `select access_token from "account" where "userId" = (select id from "user" where email = 'barbara@example.com')`);
  expect(stored).toHaveLength(5);
  for (const row of stored) expect(row.access_token).toMatch(/^enc:/);
  expect((await encrypting.authjs.getAccount!("10", "github"))?.access_token).toBe(tokens[2]);
  expect(await encrypting.reencryptAccountTokens(plugin, { batchSize: 2, after: "not a cursor" }).catch((e: unknown) => e)).toMatchObject({ code: "INVALID_INPUT" });
});

test("in a zone five hours behind UTC the kit reads Drizzle's timestamps as Drizzle does, and writes them the same way", async () => {
  await expectSameInstantsInZone("drizzleAdapterEntities", db.url, "session", withDrizzleAdapter);
});

test("doctor with the preset reviews the step: the missing indexes, and SQL that changes no column or key", async () => {
  await doctorWithPreset(DRIZZLE_LAYOUT, "drizzleAdapterEntities", async (doctor) => {
    expectOnlyMissingIndexes(doctor, ["session(userId)", "session(expires)", "account(userId)", "verificationToken(expires)"]);
  });
});
