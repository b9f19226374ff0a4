/**
 * `prismaAdapterEntities({ ids: true })`: the tables of the Prisma schema next-auth v4 documented
 * (`id` columns keying Account and Session, unique keys elsewhere, no Authenticator), written by
 * `@auth/prisma-adapter` through a Prisma Client generated from that schema, then served by the kit.
 */
import { randomBytes } from "node:crypto";
import { createAdapterKit, prismaAdapterEntities, type AdapterKit } from "../../src";
import { signInByEmail } from "../../examples/shared/signInByEmail";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
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
  const before = await prisma.withAdapter(db.url, async (old) => {
    const ada = await signInByEmail(old, "ada@example.com");
    await old.linkAccount({ userId: ada.user.id, type: "oauth", provider: "github", providerAccountId: "4242", access_token: "gho_old" });
    const pendingToken = randomBytes(32).toString("hex");
    await old.createVerificationToken({ identifier: "linus@example.com", token: pendingToken, expires: new Date(Date.now() + 600_000) });
    return { ada, pendingToken, seen: await old.getSessionAndUser(ada.session.sessionToken) };
  });

  const migrating = kit({ acceptRawSessionTokens: true });
  // The kit hands out Auth.js's session fields; the row's own `id` is no part of them.
  const { id: _id, ...seenSession } = before.seen!.session as NonNullable<typeof before.seen>["session"] & { id?: string };
  expect(await migrating.authjs.getSessionAndUser(before.ada.session.sessionToken)).toEqual({ ...before.seen, session: seenSession });
  expect(await migrating.authjs.getAccount!("4242", "github")).toMatchObject({ userId: before.ada.user.id, access_token: "gho_old" });
  expect(await migrating.authjs.useVerificationToken({ identifier: "linus@example.com", token: before.pendingToken })).toMatchObject({ identifier: "linus@example.com" });
  // Keyed by id: the job pages by it, as on the kit's own tables.
  const hashed = await migrating.hashSessionTokens();
  expect(hashed).toMatchObject({ hashed: 1, done: true });
  const after = kit().authjs;
  expect(await after.getSessionAndUser(before.ada.session.sessionToken)).toMatchObject({ user: { id: before.ada.user.id } });

  const fresh = await signInByEmail(after, "linus@example.com");
  const [row] = await query<{ id: string }>(db.url, `select id from "Session" where "userId" = $1`, [fresh.user.id]);
  expect(row!.id).toMatch(/^[0-9a-f-]{36}$/);
  await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "gitlab", providerAccountId: "7" });
  expect(await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "gitlab", providerAccountId: "7" }).catch((e: unknown) => e)).toMatchObject({ code: "CONFLICT" });
  expect(await after.unlinkAccount!({ provider: "gitlab", providerAccountId: "7" })).toMatchObject({ userId: fresh.user.id });
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
