/**
 * The README's "Coming from @auth/prisma-adapter" steps on MySQL-family tables (`provider =
 * "mysql"`), here on MariaDB: the real adapter writes through a Prisma Client generated for MySQL
 * and `@prisma/adapter-mariadb`; then the kit with `prismaAdapterEntities({ provider: "mysql" })`
 * serves all of it, signs in anew, keeps Prisma's bookkeeping going, and leaves Prisma's schema as
 * it was.
 */
import { randomBytes } from "node:crypto";
import { MikroORM } from "@mikro-orm/core";
import { BetterSqliteDriver } from "@mikro-orm/better-sqlite";
import { AdapterError, createAdapterKit, drizzleAdapterEntities, entityList, prismaAdapterEntities, type AdapterKit, type AuthjsAdapter } from "../../src";
import { signInByEmail } from "../../examples/shared/signInByEmail";
import { createTestMariaDb, mariaQuery, type TestMariaDb } from "../support/mariadb";
import { expectSameInstantsInZone } from "./support/kitInZone";
import { expectKitServesOldLife, lifeWithOldAdapter } from "./support/oldAdapterLife";
import { doctorWithPreset, expectOnlyMissingIndexes } from "./support/presetDoctor";
import { generatePrismaClient, type GeneratedClient } from "./support/prismaClient";
import { PRISMA_MYSQL_INDEXES, PRISMA_MYSQL_LAYOUT, PRISMA_MYSQL_LAYOUT_WITHOUT_FOREIGN_KEYS, PRISMA_MYSQL_MODELS } from "./support/prismaMySqlLayout";

let db: TestMariaDb;
let prisma: GeneratedClient;
const kits: AdapterKit[] = [];
beforeAll(async () => {
  prisma = await generatePrismaClient(PRISMA_MYSQL_MODELS, "mysql", "mysql");
  db = await createTestMariaDb();
  for (const statement of [...PRISMA_MYSQL_LAYOUT, ...PRISMA_MYSQL_INDEXES]) await mariaQuery(db.mysqlUrl, statement);
});
afterAll(async () => {
  for (const kit of kits) await kit.close();
  await db?.drop();
  prisma?.remove();
});

const SECRET = "from-prisma-mysql-secret-0123456789abcdef";
const kit = (options: object = {}) => {
  const made = createAdapterKit({ database: db.mysqlUrl, entities: prismaAdapterEntities({ provider: "mysql" }), secret: SECRET, ...options });
  kits.push(made);
  return made;
};
const withPrismaAdapter = <T>(fn: (adapter: AuthjsAdapter) => Promise<T>) => prisma.withAdapter(db.mariadbUrl, fn);

const schemaNow = async () => [
  await mariaQuery(db.mysqlUrl, `select table_name, column_name, column_type, is_nullable, column_default, collation_name from information_schema.columns where table_schema = database() order by 1, 2`),
  await mariaQuery(db.mysqlUrl, `select table_name, index_name, column_name, seq_in_index, non_unique from information_schema.statistics where table_schema = database() order by 1, 2, 4`),
  await mariaQuery(db.mysqlUrl, `select table_name, constraint_name, constraint_type from information_schema.table_constraints where table_schema = database() order by 1, 2`),
];

test("after the README's steps the kit serves the old adapter's user, session, account and pending link, and signs in anew", async () => {
  const schemaBefore = await schemaNow();
  const longIdToken = `eyJ${randomBytes(700).toString("base64url")}`;
  const before = await lifeWithOldAdapter(withPrismaAdapter, { type: "oidc", provider: "google", providerAccountId: "4242", access_token: "ya29.old", id_token: longIdToken, scope: "openid", expires_at: 2_000_000_000 });
  expect(before.seen.session.expires).toEqual(before.ada.session.expires);
  const afterKit = kit();
  await expectKitServesOldLife(kit({ acceptRawSessionTokens: true }), afterKit, before);
  const after = afterKit.authjs;

  // New rows carry Prisma's bookkeeping: Prisma reads them back, and updates move updatedAt.
  const fresh = await signInByEmail(after, "linus@example.com");
  const bookkeeping = () => mariaQuery<{ createdAt: string; updatedAt: string }>(db.mysqlUrl, "select `createdAt`, `updatedAt` from `Session` where `userId` = ?", [fresh.user.id]);
  const [created] = await bookkeeping();
  await new Promise((elapse) => setTimeout(elapse, 20));
  const later = new Date(Date.now() + 60 * 24 * 3_600_000);
  expect(await after.updateSession!({ sessionToken: fresh.session.sessionToken, expires: later })).toMatchObject({ expires: later });
  const [updated] = await bookkeeping();
  expect(updated!.createdAt).toBe(created!.createdAt);
  expect(updated!.updatedAt > created!.updatedAt).toBe(true);
  await withPrismaAdapter(async (old) => {
    const read = await old.getUserByEmail("linus@example.com");
    expect(read).toMatchObject({ id: fresh.user.id, createdAt: expect.any(Date), updatedAt: expect.any(Date) });
    // Both wrote UTC: the kit's createdAt is within a minute of Prisma's view of now.
    expect(Math.abs((read as unknown as { createdAt: Date }).createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });
  // The kit's DATETIME holds UTC, as Prisma's does (the session's token is hashed: read it by user).
  const [stored] = await mariaQuery<{ expires: string }>(db.mysqlUrl, "select `expires` from `Session` where `userId` = ?", [fresh.user.id]);
  expect(stored!.expires).toBe(later.toISOString().replace("T", " ").replace("Z", ""));

  await after.createAuthenticator!({ credentialID: "cred-1", userId: fresh.user.id, providerAccountId: "cred-1", credentialPublicKey: "pk", counter: 0, credentialDeviceType: "singleDevice", credentialBackedUp: false, transports: null });
  expect(await after.updateAuthenticatorCounter!("cred-1", 5)).toMatchObject({ counter: 5 });
  const taken = await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "google", providerAccountId: "4242" }).catch((e: unknown) => e);
  expect(taken).toBeInstanceOf(AdapterError);
  expect(taken).toMatchObject({ code: "CONFLICT" });
  await after.deleteUser!(before.grace.id);
  expect(await after.getUserByAccount({ provider: "google", providerAccountId: "4242" })).toBeNull();

  expect(await schemaNow()).toEqual(schemaBefore);
});

test("in a zone five hours behind UTC the kit reads Prisma's DATETIME values as Prisma does, and writes them the same way", async () => {
  const storedExpires = async (token: string) => (await mariaQuery<{ expires: string }>(db.mysqlUrl, "select `expires` from `Session` where `sessionToken` = ?", [token]))[0]!.expires;
  await expectSameInstantsInZone("prismaAdapterEntities", db.mysqlUrl, "Session", withPrismaAdapter, { presetOptions: { provider: "mysql" }, storedExpires });
});

test("doctor with the preset: only the expiry indexes MySQL does not make for Prisma's keys, named as @@index names them; none once they exist", async () => {
  await doctorWithPreset(PRISMA_MYSQL_LAYOUT, "prismaAdapterEntities", async (doctor) => {
    expectOnlyMissingIndexes(doctor, ["Session(expires)", "VerificationToken(expires)"]);
    for (const name of ["Session_expires_idx", "VerificationToken_expires_idx"]) expect(doctor.stdout).toContain(name);
  }, '{ provider: "mysql" }');
  await doctorWithPreset([...PRISMA_MYSQL_LAYOUT, ...PRISMA_MYSQL_INDEXES], "prismaAdapterEntities", async (doctor) => {
    expect({ code: doctor.code, stdout: doctor.stdout }).toMatchObject({ code: 0 });
  }, '{ provider: "mysql" }');
});

test("a preset for another database's tables is refused on first use, saying which preset to pass", async () => {
  const cases = [
    [db.mysqlUrl, prismaAdapterEntities(), 'on PostgreSQL, and the database is MySQL: for the tables Prisma makes on MySQL or MariaDB pass prismaAdapterEntities({ provider: "mysql" })'],
    [db.mariadbUrl, drizzleAdapterEntities(), 'on PostgreSQL, and the database is MariaDB: for the tables @auth/drizzle-adapter makes on MySQL or MariaDB pass drizzleAdapterEntities({ dialect: "mysql" })'],
    ["sqlite::memory:", prismaAdapterEntities({ provider: "mysql" }), "on MySQL, and the database is SQLite: for the tables Prisma makes on PostgreSQL leave `provider` out"],
  ] as const;
  for (const [database, entities, says] of cases) {
    const wrong = createAdapterKit({ database, entities, secret: SECRET });
    try {
      const error = await wrong.authjs.getUser("u1").catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining(says) });
    } finally {
      await wrong.close();
    }
  }
});

test("the same check holds for the app's own MikroORM instance, which the kit leaves open", async () => {
  const entities = prismaAdapterEntities({ provider: "mysql" });
  const orm = await MikroORM.init({ driver: BetterSqliteDriver, dbName: ":memory:", entities: entityList(entities) });
  const wrong = createAdapterKit({ database: orm, entities, secret: SECRET });
  try {
    const error = await wrong.authjs.getUser("u1").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining("on MySQL, and the database is SQLite") });
    await wrong.close();
    expect(await orm.isConnected()).toBe(true);
  } finally {
    await orm.close(true);
  }
});

describe('relationMode = "prisma" (no foreign keys, as on PlanetScale)', () => {
  const ENTITIES = '{ provider: "mysql", relationMode: "prisma" }';

  test("the kit serves the adapter's rows, and deleteUser removes the user's accounts and sessions itself: the account can be linked again", async () => {
    const other = await createTestMariaDb();
    const made = createAdapterKit({ database: other.mysqlUrl, entities: prismaAdapterEntities({ provider: "mysql", relationMode: "prisma" }), secret: SECRET, sessionTokens: "raw" });
    try {
      for (const statement of [...PRISMA_MYSQL_LAYOUT_WITHOUT_FOREIGN_KEYS, ...PRISMA_MYSQL_INDEXES]) await mariaQuery(other.mysqlUrl, statement);
      const grace = await prisma.withAdapter(other.mariadbUrl, async (old) => {
        const user = await old.createUser({ email: "grace@example.com", emailVerified: null } as never);
        await old.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: "4242" });
        await signInByEmail(old, "grace@example.com");
        return user;
      });
      expect(await made.authjs.getUserByAccount({ provider: "github", providerAccountId: "4242" })).toMatchObject({ id: grace.id });
      await made.authjs.deleteUser!(grace.id);
      const left = await mariaQuery(other.mysqlUrl, "select (select count(*) from `Account`) as accounts, (select count(*) from `Session`) as sessions");
      expect(left).toEqual([{ accounts: 0, sessions: 0 }]);
      const ada = await made.authjs.createUser({ email: "ada@example.com", emailVerified: null } as never);
      await made.authjs.linkAccount({ userId: ada.id, type: "oauth", provider: "github", providerAccountId: "4242" });
      expect(await made.authjs.getUserByAccount({ provider: "github", providerAccountId: "4242" })).toMatchObject({ id: ada.id });
    } finally {
      await made.close();
      await other.drop();
    }
  });

  test("doctor with the preset asks for no foreign key, and takes Prisma's @@index([userId]) for the kit's", async () => {
    await doctorWithPreset(PRISMA_MYSQL_LAYOUT_WITHOUT_FOREIGN_KEYS, "prismaAdapterEntities", async (doctor) => {
      expectOnlyMissingIndexes(doctor, ["Session(expires)", "VerificationToken(expires)"]);
      expect(doctor.stdout).not.toMatch(/foreign key/i);
    }, ENTITIES);
  });
});
