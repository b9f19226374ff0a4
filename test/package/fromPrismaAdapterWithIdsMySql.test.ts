/**
 * `prismaAdapterEntities({ ids: true, provider: "mysql" })`: next-auth v4's Prisma schema on
 * MySQL-family tables (here MariaDB), written by `@auth/prisma-adapter` through a Prisma Client
 * generated for MySQL, then served by the kit.
 */
import { randomBytes } from "node:crypto";
import { createAdapterKit, prismaAdapterEntities, type AdapterKit } from "../../src";
import { signInByEmail } from "../../examples/shared/signInByEmail";
import { createTestMariaDb, mariaQuery, type TestMariaDb } from "../support/mariadb";
import { doctorWithPreset } from "./support/presetDoctor";
import { generatePrismaClient, PRISMA_MODELS_WITH_IDS, type GeneratedClient } from "./support/prismaClient";
import { PRISMA_MYSQL_LAYOUT_WITH_IDS } from "./support/prismaMySqlLayout";

let db: TestMariaDb;
let prisma: GeneratedClient;
const kits: AdapterKit[] = [];
beforeAll(async () => {
  prisma = await generatePrismaClient(PRISMA_MODELS_WITH_IDS, "with-ids-mysql", "mysql");
  db = await createTestMariaDb();
  for (const statement of PRISMA_MYSQL_LAYOUT_WITH_IDS) await mariaQuery(db.mysqlUrl, statement);
});
afterAll(async () => {
  for (const kit of kits) await kit.close();
  await db?.drop();
  prisma?.remove();
});

const ENTITIES = { ids: true, provider: "mysql" } as const;
const kit = (options: object = {}) => {
  const made = createAdapterKit({ database: db.mysqlUrl, entities: prismaAdapterEntities(ENTITIES), secret: "prisma-ids-mysql-secret-0123456789abcdef", ...options });
  kits.push(made);
  return made;
};

test("the kit serves what the adapter wrote on next-auth v4's Prisma tables on MySQL, hashes the old sessions, and signs in anew", async () => {
  const before = await prisma.withAdapter(db.mariadbUrl, async (old) => {
    const ada = await signInByEmail(old, "ada@example.com");
    await old.linkAccount({ userId: ada.user.id, type: "oauth", provider: "github", providerAccountId: "4242", access_token: "gho_old" });
    const pendingToken = randomBytes(32).toString("hex");
    await old.createVerificationToken({ identifier: "linus@example.com", token: pendingToken, expires: new Date(Date.now() + 600_000) });
    return { ada, pendingToken, seen: await old.getSessionAndUser(ada.session.sessionToken) };
  });

  const migrating = kit({ acceptRawSessionTokens: true });
  const { id: _id, ...seenSession } = before.seen!.session as NonNullable<typeof before.seen>["session"] & { id?: string };
  expect(await migrating.authjs.getSessionAndUser(before.ada.session.sessionToken)).toEqual({ ...before.seen, session: seenSession });
  expect(await migrating.authjs.getAccount!("4242", "github")).toMatchObject({ userId: before.ada.user.id, access_token: "gho_old" });
  expect(await migrating.authjs.useVerificationToken({ identifier: "linus@example.com", token: before.pendingToken })).toMatchObject({ identifier: "linus@example.com" });
  expect(await migrating.hashSessionTokens()).toMatchObject({ hashed: 1, done: true });
  const after = kit().authjs;
  expect(await after.getSessionAndUser(before.ada.session.sessionToken)).toMatchObject({ user: { id: before.ada.user.id } });

  const fresh = await signInByEmail(after, "linus@example.com");
  const [row] = await mariaQuery<{ id: string }>(db.mysqlUrl, "select id from `Session` where `userId` = ?", [fresh.user.id]);
  expect(row!.id).toMatch(/^[0-9a-f-]{36}$/);
  await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "gitlab", providerAccountId: "7" });
  expect(await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "gitlab", providerAccountId: "7" }).catch((e: unknown) => e)).toMatchObject({ code: "CONFLICT" });
  expect(await after.unlinkAccount!({ provider: "gitlab", providerAccountId: "7" })).toMatchObject({ userId: fresh.user.id });
});

test("doctor with the preset: the Authenticator table that schema lacked and the expiry indexes; the userId indexes InnoDB made count", async () => {
  await doctorWithPreset(
    PRISMA_MYSQL_LAYOUT_WITH_IDS,
    "prismaAdapterEntities",
    async (doctor) => {
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toContain('table "Authenticator" is missing');
      for (const index of ["Session(expires)", "VerificationToken(expires)"]) expect(doctor.stdout).toContain(`index on ${index} is missing`);
      expect(doctor.stdout).toContain("3 problem(s)");
      // Only additions: no column changes, nothing dropped.
      expect(doctor.stdout).not.toMatch(/alter column|modify |change column|drop /i);
    },
    JSON.stringify(ENTITIES),
  );
});
