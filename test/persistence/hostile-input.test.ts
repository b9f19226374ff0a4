import { MikroORM } from "@mikro-orm/core";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { createAdapterKit, entityList, type AdapterKit } from "../../src";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { everyOperation, hostileValues, unexpectedOutcomes } from "./support/hostile";

/**
 * Input that reads like a connection error (issue 10): on every operation of both facades it gets
 * an answer or a typed refusal, and never makes the kit drop or rebuild its connections.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** The PostgreSQL backends connected to the test database, but for the one asking. */
const backends = async () =>
  (await query<{ pid: number }>(db.url, "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")).map((r) => r.pid).sort();

async function hammer(kit: AdapterKit): Promise<{ wrong: string[]; rebuilds: number }> {
  let rebuilds = 0;
  kit.events.on("database.rebuild", () => rebuilds++);
  const user = await kit.authjs.createUser({ email: `victim-${Math.random()}@example.com`, emailVerified: null });
  const wrong: string[] = [];
  for (const h of hostileValues()) wrong.push(...(await unexpectedOutcomes(await everyOperation(kit, h, user.id), h)));
  return { wrong, rebuilds };
}

describe("hostile input never touches the connection handling", () => {
  test("PostgreSQL, kit-owned pool: typed outcomes, zero rebuilds, the same server backends before and after", async () => {
    const kit = createAdapterKit({ database: db.url, synchronize: true });
    try {
      await kit.authjs.getUser("warm-up");
      const before = await backends();
      const { wrong, rebuilds } = await hammer(kit);
      expect(wrong).toEqual([]);
      expect(rebuilds).toBe(0);
      // No client was dropped either: every backend the pool had is still there.
      expect(await backends()).toEqual(expect.arrayContaining(before));
    } finally {
      await kit.close();
    }
  });

  test("PostgreSQL: an overlong identifier with a connection-error word is INVALID_INPUT, the same as without the word", async () => {
    const kit = createAdapterKit({ database: db.url });
    try {
      for (const word of ["aborted", "plain"]) {
        const error = await kit.authjs.createVerificationToken!({ identifier: `${word}-${"y".repeat(400)}@example.com`, token: "t", expires: new Date() }).catch((e) => e);
        expect(error).toMatchObject({ code: "INVALID_INPUT", operation: "createVerificationToken" });
      }
    } finally {
      await kit.close();
    }
  });

  test("SQLite (embedded): typed outcomes and zero rebuilds", async () => {
    const kit = createAdapterKit();
    try {
      const { wrong, rebuilds } = await hammer(kit);
      expect(wrong).toEqual([]);
      expect(rebuilds).toBe(0);
    } finally {
      await kit.close();
    }
  });

  test("an app-owned ORM survives hostile input and the termination of its connections, and is never closed by the kit", async () => {
    const orm = await MikroORM.init({ driver: PostgreSqlDriver, clientUrl: db.url, entities: entityList() });
    const pool = (orm.em.getConnection() as unknown as { getKnex(): { client: { pool: unknown } } }).getKnex().client.pool;
    const kit = createAdapterKit({ database: orm });
    try {
      const { wrong, rebuilds } = await hammer(kit);
      expect(wrong).toEqual([]);
      expect(rebuilds).toBe(0);

      const user = await kit.authjs.createUser({ email: "app-owned@example.com", emailVerified: null });
      const killed = await query(db.url, "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
      expect(killed.length).toBeGreaterThan(0);
      expect(await kit.authjs.getUser(user.id)).toEqual(user);
      expect(await kit.legacy.getAdapter({ secret: "s" }).then((v3) => v3.getUserByEmail("app-owned@example.com"))).toMatchObject({ id: user.id });
      await kit.authjs.updateUser({ id: user.id, name: "still here" });

      // The app's ORM is open, on the very pool it had, and serves the app's own queries.
      expect(await orm.isConnected()).toBe(true);
      expect((orm.em.getConnection() as unknown as { getKnex(): { client: { pool: unknown } } }).getKnex().client.pool).toBe(pool);
      expect(await orm.em.fork().getConnection().execute("select count(*)::int as n from users", [], "get")).toMatchObject({ n: expect.any(Number) });
    } finally {
      await kit.close();
      expect(await orm.isConnected()).toBe(true); // kit.close() leaves an app's ORM open
      await orm.close(true);
    }
  });
});
