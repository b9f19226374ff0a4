/**
 * The README's "Coming from @auth/prisma-adapter" steps, followed on the tables Prisma makes for
 * the schema that adapter documents, written by the adapter itself through a Prisma Client
 * generated here (a user with a session, an OAuth account, a pending e-mail link). After the steps
 * the kit serves all of it, signs in anew, keeps Prisma's `createdAt`/`updatedAt` going, and leaves
 * the schema Prisma owns as it was.
 */
import { AdapterError, createAdapterKit, prismaAdapterEntities, type AdapterKit, type AuthjsAdapter } from "../../src";
import { signInByEmail } from "../../examples/shared/signInByEmail";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { expectSameInstantsInZone } from "./support/kitInZone";
import { expectKitServesOldLife, lifeWithOldAdapter } from "./support/oldAdapterLife";
import { doctorWithPreset, expectOnlyMissingIndexes } from "./support/presetDoctor";
import { generatePrismaClient, PRISMA_INDEXES, PRISMA_LAYOUT, type GeneratedClient } from "./support/prismaClient";

let db: TestDatabase;
let prisma: GeneratedClient;
const kits: AdapterKit[] = [];
beforeAll(async () => {
  prisma = await generatePrismaClient();
  db = await createTestDatabase();
  await query(db.url, PRISMA_LAYOUT + PRISMA_INDEXES);
});
afterAll(async () => {
  for (const kit of kits) await kit.close();
  await db?.drop();
  prisma?.remove();
});

const SECRET = "from-prisma-adapter-secret-0123456789abcdef";
const kit = (options: object = {}) => {
  const made = createAdapterKit({ database: db.url, entities: prismaAdapterEntities(), secret: SECRET, ...options });
  kits.push(made);
  return made;
};

const withPrismaAdapter = <T>(fn: (adapter: AuthjsAdapter) => Promise<T>) => prisma.withAdapter(db.url, fn);

const TABLES = ["User", "Account", "Session", "VerificationToken", "Authenticator"];
const schemaNow = async () => [
  await query(db.url, `select table_name, column_name, data_type, datetime_precision, is_nullable, column_default from information_schema.columns where table_schema = 'public' and table_name = any($1) order by 1, 2`, [TABLES]),
  await query(db.url, `select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2`),
  await query(db.url, `select conrelid::regclass::text tbl, conname, contype from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2`),
];

test("after the README's steps the kit serves the old adapter's user, session, account and pending link, and signs in anew", async () => {
  const schemaBefore = await schemaNow();
  const before = await lifeWithOldAdapter(withPrismaAdapter, { provider: "github", providerAccountId: "4242", access_token: "gho_old", scope: "read:user", expires_at: 2_000_000_000 });
  expect(before.seen.session.expires).toEqual(before.ada.session.expires);
  const afterKit = kit();
  // Sessions keyed by their (unique) token: hashed in batches that never use a token as the cursor.
  await expectKitServesOldLife(kit({ acceptRawSessionTokens: true }), afterKit, before);
  const after = afterKit.authjs;

  // New rows carry Prisma's bookkeeping: Prisma reads them back, and updates move updatedAt.
  const fresh = await signInByEmail(after, "linus@example.com");
  const [created] = await query<{ createdAt: Date; updatedAt: Date }>(db.url, `select "createdAt", "updatedAt" from "Session" where "userId" = $1`, [fresh.user.id]);
  expect(created).toEqual({ createdAt: expect.any(Date), updatedAt: expect.any(Date) });
  await new Promise((elapse) => setTimeout(elapse, 20));
  const later = new Date(Date.now() + 60 * 24 * 3_600_000);
  expect(await after.updateSession!({ sessionToken: fresh.session.sessionToken, expires: later })).toMatchObject({ expires: later });
  const [updated] = await query<{ createdAt: Date; updatedAt: Date }>(db.url, `select "createdAt", "updatedAt" from "Session" where "userId" = $1`, [fresh.user.id]);
  expect(updated.createdAt).toEqual(created.createdAt);
  expect(updated.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
  await withPrismaAdapter(async (old) => {
    expect(await old.getUserByEmail("linus@example.com")).toMatchObject({ id: fresh.user.id, createdAt: expect.any(Date), updatedAt: expect.any(Date) });
  });

  await after.createAuthenticator!({ credentialID: "cred-1", userId: fresh.user.id, providerAccountId: "cred-1", credentialPublicKey: "pk", counter: 0, credentialDeviceType: "singleDevice", credentialBackedUp: false, transports: null });
  expect(await after.updateAuthenticatorCounter!("cred-1", 5)).toMatchObject({ counter: 5 });
  const taken = await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "github", providerAccountId: "4242" }).catch((e: unknown) => e);
  expect(taken).toBeInstanceOf(AdapterError);
  expect(taken).toMatchObject({ code: "CONFLICT" });
  await after.deleteUser!(before.grace.id);
  expect(await after.getUserByAccount({ provider: "github", providerAccountId: "4242" })).toBeNull();

  // Prisma owns the schema: nothing of it changed.
  expect(await schemaNow()).toEqual(schemaBefore);
});

test("in a zone five hours behind UTC the kit reads Prisma's timestamps as Prisma does, and writes them the same way", async () => {
  await expectSameInstantsInZone("prismaAdapterEntities", db.url, "Session", withPrismaAdapter);
});

test("doctor with the preset: the indexes Prisma's schema lacks, named as @@index names them; none once they exist", async () => {
  await doctorWithPreset(PRISMA_LAYOUT, "prismaAdapterEntities", async (doctor) => {
    expectOnlyMissingIndexes(doctor, ["Account(userId)", "Session(userId)", "Session(expires)", "VerificationToken(expires)"]);
    for (const name of ["Account_userId_idx", "Session_userId_idx", "Session_expires_idx", "VerificationToken_expires_idx"]) expect(doctor.stdout).toContain(`"${name}"`);
  });
  await doctorWithPreset(PRISMA_LAYOUT + PRISMA_INDEXES, "prismaAdapterEntities", async (doctor) => {
    expect({ code: doctor.code, stdout: doctor.stdout }).toMatchObject({ code: 0 });
  });
});
