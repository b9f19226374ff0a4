/**
 * `prismaAdapterEntities({ ids: true })`: the tables of the Prisma schema next-auth v4 documented
 * (`id` columns keying Account and Session, unique keys elsewhere, no Authenticator), written by
 * `@auth/prisma-adapter` through a Prisma Client generated from that schema, then served by the kit.
 */
import { createAdapterKit, prismaAdapterEntities, type AdapterKit } from "../../src";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { expectIdsLayoutJourney } from "./support/oldAdapterLife";
import { doctorWithPreset } from "./support/presetDoctor";
import { generatePrismaClient, PRISMA_LAYOUT_WITH_IDS, PRISMA_MODELS_WITH_IDS, type GeneratedClient } from "./support/prismaClient";

let db: TestDatabase;
let prisma: GeneratedClient;
const kits: AdapterKit[] = [];
beforeAll(async () => {
  prisma = await generatePrismaClient(PRISMA_MODELS_WITH_IDS, "with-ids");
  db = await createTestDatabase();
  await query(db.url, PRISMA_LAYOUT_WITH_IDS);
});
afterAll(async () => {
  for (const kit of kits) await kit.close();
  await db?.drop();
  prisma?.remove();
});

const kit = (options: object = {}) => {
  const made = createAdapterKit({ database: db.url, entities: prismaAdapterEntities({ ids: true }), secret: "prisma-with-ids-secret-0123456789abcdef", ...options });
  kits.push(made);
  return made;
};

test("the kit serves what the adapter wrote on next-auth v4's Prisma tables, hashes the old sessions by id, and signs in anew", async () => {
  const sessionIdOf = async (userId: string) => (await query<{ id: string }>(db.url, `select id from "Session" where "userId" = $1`, [userId]))[0]!.id;
  await expectIdsLayoutJourney(kit, (fn) => prisma.withAdapter(db.url, fn), sessionIdOf);
});

test("doctor with the preset: the missing indexes and the Authenticator table that schema lacked, and no change to a key", async () => {
  await doctorWithPreset(
    PRISMA_LAYOUT_WITH_IDS,
    "prismaAdapterEntities",
    async (doctor) => {
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toContain('table "Authenticator" is missing');
      for (const index of ["Session(userId)", "Session(expires)", "Account(userId)", "VerificationToken(expires)"]) expect(doctor.stdout).toContain(`index on ${index} is missing`);
      expect(doctor.stdout).toContain("5 problem(s)");
      // The unique indexes Prisma made stand for the keys the entities declare: nothing to alter or drop.
      expect(doctor.stdout).not.toMatch(/alter column|drop |alter table "(Account|Session|User|VerificationToken)"/i);
    },
    "{ ids: true }",
  );
});
