import { createAdapterKit, TYPES, type AdapterKit } from "../../src";
import type { Dialect } from "../../src/persistence/mikro-orm/dialects/Dialect";
import type { OrmConnection } from "../../src/persistence/mikro-orm/OrmConnection";
import { createTestDatabase, type TestDatabase } from "../support/database";

/**
 * The seam's path for a dialect without RETURNING (MySQL 8): deletes and updates read their rows
 * back inside a transaction. Exercised here on PostgreSQL and SQLite by switching RETURNING off.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function withoutReturning(kit: AdapterKit): Promise<void> {
  await kit.authjs.getUser("warm-up");
  const dialect = (kit.container.get<OrmConnection>(TYPES.OrmConnection) as unknown as { dialect: Dialect }).dialect;
  Object.defineProperty(dialect, "returning", { value: false });
}

describe.each([
  ["PostgreSQL", () => createAdapterKit({ database: db.url, synchronize: true })],
  ["SQLite", () => createAdapterKit()],
])("a dialect without RETURNING, on %s", (_name, makeKit) => {
  test("update, delete and single-use tokens answer as with RETURNING", async () => {
    const kit = makeKit();
    try {
      await withoutReturning(kit);
      const a = kit.authjs;
      const user = await a.createUser({ email: "no-returning@example.com", emailVerified: null });
      expect(await a.updateUser({ id: user.id, name: "Renamed" })).toMatchObject({ id: user.id, name: "Renamed" });
      const expires = new Date(Date.now() + 60_000);
      await a.createSession({ sessionToken: "nr-session", userId: user.id, expires });
      const later = new Date(Date.now() + 120_000);
      expect(await a.updateSession({ sessionToken: "nr-session", expires: later })).toMatchObject({ sessionToken: "nr-session", expires: later });
      expect(await a.updateSession({ sessionToken: "nr-unknown", expires: later })).toBeNull();
      expect(await a.deleteSession("nr-session")).toMatchObject({ sessionToken: "nr-session" });
      expect(await a.getSessionAndUser("nr-session")).toBeNull();

      await a.createVerificationToken!({ identifier: "nr@example.com", token: "nr-token", expires });
      const uses = await Promise.all([1, 2, 3].map(() => a.useVerificationToken!({ identifier: "nr@example.com", token: "nr-token" })));
      expect(uses.filter(Boolean)).toHaveLength(1);
      expect(await a.deleteUser(user.id)).toMatchObject({ id: user.id });
    } finally {
      await kit.close();
    }
  });
});
