/**
 * The README's "Coming from @auth/drizzle-adapter" steps on the MySQL tables that adapter defines
 * (`drizzleAdapterEntities({ dialect: "mysql" })`), here on MariaDB, written by the adapter itself
 * through drizzle-orm's mysql2 driver. After the steps the kit serves all of it, signs in anew, and
 * changes no column or key; MySQL's `timestamp` columns hold the same instants for both.
 */
import { randomBytes } from "node:crypto";
import { createPool } from "mysql2";
import { AdapterError, createAdapterKit, drizzleAdapterEntities, type AdapterKit, type AuthjsAdapter } from "../../src";
import { signInByEmail } from "../../examples/shared/signInByEmail";
import { createTestMariaDb, mariaQuery, type TestMariaDb } from "../support/mariadb";
import { expectSameInstantsInZone } from "./support/kitInZone";
import { expectKitServesOldLife, lifeWithOldAdapter } from "./support/oldAdapterLife";
import { doctorWithPreset, expectOnlyMissingIndexes } from "./support/presetDoctor";

/** What drizzle-kit generates for the adapter's MySQL `defineTables()`, one statement per entry. */
const DRIZZLE_MYSQL_LAYOUT = [
  "create table `account` (`userId` varchar(255) not null, `type` varchar(255) not null, `provider` varchar(255) not null, `providerAccountId` varchar(255) not null, " +
    "`refresh_token` varchar(255), `access_token` varchar(255), `expires_at` int, `token_type` varchar(255), `scope` varchar(255), `id_token` varchar(2048), " +
    "`session_state` varchar(255), constraint `account_provider_providerAccountId_pk` primary key(`provider`, `providerAccountId`))",
  "create table `authenticator` (`credentialID` varchar(255) not null, `userId` varchar(255) not null, `providerAccountId` varchar(255) not null, " +
    "`credentialPublicKey` varchar(255) not null, `counter` int not null, `credentialDeviceType` varchar(255) not null, `credentialBackedUp` boolean not null, " +
    "`transports` varchar(255), constraint `authenticator_userId_credentialID_pk` primary key(`userId`, `credentialID`), constraint `authenticator_credentialID_unique` unique(`credentialID`))",
  "create table `session` (`sessionToken` varchar(255) not null, `userId` varchar(255) not null, `expires` timestamp not null, constraint `session_sessionToken` primary key(`sessionToken`))",
  "create table `user` (`id` varchar(255) not null, `name` varchar(255), `email` varchar(255), `emailVerified` timestamp(3), `image` varchar(255), " +
    "constraint `user_id` primary key(`id`), constraint `user_email_unique` unique(`email`))",
  "create table `verificationToken` (`identifier` varchar(255) not null, `token` varchar(255) not null, `expires` timestamp not null, " +
    "constraint `verificationToken_identifier_token_pk` primary key(`identifier`, `token`))",
  "alter table `account` add constraint `account_userId_user_id_fk` foreign key (`userId`) references `user`(`id`) on delete cascade on update no action",
  "alter table `authenticator` add constraint `authenticator_userId_user_id_fk` foreign key (`userId`) references `user`(`id`) on delete cascade on update no action",
  "alter table `session` add constraint `session_userId_user_id_fk` foreign key (`userId`) references `user`(`id`) on delete cascade on update no action",
];

let db: TestMariaDb;
const kits: AdapterKit[] = [];
beforeAll(async () => {
  db = await createTestMariaDb();
  for (const statement of DRIZZLE_MYSQL_LAYOUT) await mariaQuery(db.mysqlUrl, statement);
});
afterAll(async () => {
  for (const kit of kits) await kit.close();
  await db?.drop();
});

const SECRET = "from-drizzle-mysql-secret-0123456789abcdef";
const ENTITIES = { dialect: "mysql" } as const;
const kit = (options: object = {}) => {
  const made = createAdapterKit({ database: db.mysqlUrl, entities: drizzleAdapterEntities(ENTITIES), secret: SECRET, ...options });
  kits.push(made);
  return made;
};

/** `fn` with the old adapter: `DrizzleAdapter(drizzle(pool))` on a mysql2 pool, as the app made it. */
async function withDrizzleAdapter<T>(fn: (adapter: AuthjsAdapter) => Promise<T>): Promise<T> {
  const { drizzle } = await import("drizzle-orm/mysql2");
  const { DrizzleAdapter } = await import("@auth/drizzle-adapter");
  const pool = createPool({ uri: db.mysqlUrl });
  try {
    return await fn(DrizzleAdapter(drizzle(pool)) as unknown as AuthjsAdapter);
  } finally {
    await pool.promise().end();
  }
}

const schemaNow = async () => [
  await mariaQuery(db.mysqlUrl, "select table_name, column_name, column_type, is_nullable, column_default, extra from information_schema.columns where table_schema = database() order by 1, 2"),
  await mariaQuery(db.mysqlUrl, "select table_name, constraint_name, constraint_type from information_schema.table_constraints where table_schema = database() order by 1, 2"),
];
const wholeSeconds = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000);

test("after the README's steps the kit serves the old adapter's user, session, account and pending link, and signs in anew", async () => {
  const before = await lifeWithOldAdapter(withDrizzleAdapter, { provider: "github", providerAccountId: "4242", access_token: "gho_old", scope: "read:user", expires_at: 2_000_000_000 });
  const schemaBefore = await schemaNow();

  const migrating = kit({ acceptRawSessionTokens: true });
  await migrating.synchronize();
  expect(await schemaNow()).toEqual(schemaBefore);
  // `expires` is a `timestamp` without fractions: both keep the whole second.
  expect(before.seen.session.expires).toEqual(wholeSeconds(before.ada.session.expires));
  const afterKit = kit();
  await expectKitServesOldLife(migrating, afterKit, before);
  const after = afterKit.authjs;

  const fresh = await signInByEmail(after, "linus@example.com");
  expect(await after.getSessionAndUser(fresh.session.sessionToken)).toMatchObject({ user: { email: "linus@example.com" }, session: { expires: wholeSeconds(fresh.session.expires) } });
  // Drizzle reads the kit's user as its own, e-mail verification time to the millisecond.
  await withDrizzleAdapter(async (old) => {
    expect(await old.getUserByEmail("linus@example.com")).toEqual(fresh.user);
  });
  await after.createAuthenticator!({ credentialID: "cred-1", userId: fresh.user.id, providerAccountId: "cred-1", credentialPublicKey: "pk", counter: 0, credentialDeviceType: "singleDevice", credentialBackedUp: false, transports: null });
  expect(await after.updateAuthenticatorCounter!("cred-1", 5)).toMatchObject({ counter: 5 });
  const taken = await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "github", providerAccountId: "4242" }).catch((e: unknown) => e);
  expect(taken).toBeInstanceOf(AdapterError);
  expect(taken).toMatchObject({ code: "CONFLICT" });
  // A token longer than Drizzle's varchar(255): refused before the statement, naming the field only.
  const long = `ya29.${randomBytes(300).toString("base64url")}`;
  const tooLong = await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "google", providerAccountId: "1", access_token: long }).catch((e: unknown) => e);
  expect(tooLong).toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining('"access_token" is longer than its column (255 characters)') });
  expect(JSON.stringify(tooLong)).not.toContain(long);
  await after.deleteUser!(before.grace.id);
  expect(await after.getUserByAccount({ provider: "github", providerAccountId: "4242" })).toBeNull();
  expect(await schemaNow()).toEqual(schemaBefore);
});

test("without the optional authenticator table, synchronize adds it in the collation of Drizzle's user key, and passkeys work", async () => {
  const other = await createTestMariaDb();
  try {
    for (const statement of DRIZZLE_MYSQL_LAYOUT.filter((s) => !s.includes("`authenticator`"))) await mariaQuery(other.mysqlUrl, statement);
    const adding = createAdapterKit({ database: other.mysqlUrl, entities: drizzleAdapterEntities(ENTITIES), secret: SECRET });
    kits.push(adding);
    // A foreign key needs the collation of the key it references: in the kit's own NO PAD binary
    // collation the server refused the table (errno 1005, "the database refused the statement").
    await adding.synchronize();
    const collations = await mariaQuery(other.mysqlUrl, "select table_name as t, table_collation as c from information_schema.tables where table_schema = database() and table_name in ('user', 'authenticator') order by 1");
    const [authenticatorTable, userTable] = collations;
    expect(authenticatorTable).toEqual({ t: "authenticator", c: userTable!.c });
    expect(userTable!.c).not.toBe("utf8mb4_nopad_bin"); // the server's default, as drizzle-kit made it
    const user = await adding.authjs.createUser({ email: "passkey@example.com", emailVerified: null });
    const passkey = { credentialID: "cred-new", userId: user.id, providerAccountId: "cred-new", credentialPublicKey: "pk", counter: 0, credentialDeviceType: "singleDevice", credentialBackedUp: false, transports: null };
    expect(await adding.authjs.createAuthenticator!(passkey)).toEqual(passkey);
    await adding.authjs.deleteUser!(user.id);
    expect(await mariaQuery(other.mysqlUrl, "select count(*) as n from `authenticator`")).toEqual([{ n: 0 }]);
  } finally {
    await other.drop();
  }
});

test("in a zone five hours behind UTC the kit reads Drizzle's timestamps as Drizzle does, and writes them the same way", async () => {
  const storedExpires = async (token: string) => (await mariaQuery<{ expires: string }>(db.mysqlUrl, "select `expires` from `session` where `sessionToken` = ?", [token]))[0]!.expires;
  await expectSameInstantsInZone("drizzleAdapterEntities", db.mysqlUrl, "session", withDrizzleAdapter, { presetOptions: ENTITIES, storedExpires });
});

test("doctor with the preset: the expiry indexes only (InnoDB made the userId ones), and SQL that changes no column or key", async () => {
  await doctorWithPreset(DRIZZLE_MYSQL_LAYOUT, "drizzleAdapterEntities", async (doctor) => {
    expectOnlyMissingIndexes(doctor, ["session(expires)", "verificationToken(expires)"]);
  }, JSON.stringify(ENTITIES));
});
