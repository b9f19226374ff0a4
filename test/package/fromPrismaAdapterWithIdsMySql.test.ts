/**
 * `prismaAdapterEntities({ ids: true, provider: "mysql" })`: next-auth v4's Prisma schema on
 * MySQL-family tables (here MariaDB), written by `@auth/prisma-adapter` through a Prisma Client
 * generated for MySQL, then served by the kit.
 */
import { createAdapterKit, prismaAdapterEntities, type AdapterKit } from "../../src";
import { createTestMariaDb, mariaQuery, type TestMariaDb } from "../support/mariadb";
import { expectIdsLayoutJourney } from "./support/oldAdapterLife";
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
  const sessionIdOf = async (userId: string) => (await mariaQuery<{ id: string }>(db.mysqlUrl, "select id from `Session` where `userId` = ?", [userId]))[0]!.id;
  await expectIdsLayoutJourney(kit, (fn) => prisma.withAdapter(db.mariadbUrl, fn), sessionIdOf);
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
