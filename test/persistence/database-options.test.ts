import { MikroORM } from "@mikro-orm/core";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { Adapters, createAdapterKit, entityList, type LegacyAdapter } from "../../src";
import { createTestDatabase, PG_SERVER, type TestDatabase } from "../support/database";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** A v3 round trip through a legacy adapter: create a user, a session, read it back. */
async function v3RoundTrip(adapter: LegacyAdapter) {
  const v3 = await adapter.getAdapter({ secret: "s" });
  const user = await v3.createUser({ email: `u${Math.random()}@example.com`, name: "U" });
  const session = await v3.createSession(user);
  expect(await v3.getSession(session.sessionToken)).toEqual(session);
  return user;
}

describe("the `database` option", () => {
  test("a PostgreSQL URL", async () => {
    const kit = createAdapterKit({ database: db.url, synchronize: true });
    await v3RoundTrip(kit.legacy);
    await kit.close();
  });

  test("a TypeORM-style object for PostgreSQL", async () => {
    const [, host, port] = /\/\/[^@]*@([^:]+):(\d+)/.exec(PG_SERVER)!;
    const kit = createAdapterKit({ database: { type: "postgres", host, port: Number(port), username: "postgres", database: db.name, synchronize: true } });
    await v3RoundTrip(kit.legacy);
    await kit.close();
  });

  test("full MikroORM options", async () => {
    const kit = createAdapterKit({ database: { driver: PostgreSqlDriver, clientUrl: db.url }, synchronize: true });
    await v3RoundTrip(kit.legacy);
    await kit.close();
  });

  test("an initialised MikroORM owned by the app: used as is and left open by kit.close()", async () => {
    const orm = await MikroORM.init({ driver: PostgreSqlDriver, clientUrl: db.url, entities: entityList() });
    await orm.getSchemaGenerator().updateSchema();
    const kit = createAdapterKit({ database: orm });
    await v3RoundTrip(kit.legacy);
    await kit.close();
    expect(await orm.isConnected()).toBe(true);
    await orm.close(true);
  });

  test("a MikroORM instance without the kit's entities is refused with a message saying what to add", async () => {
    const orm = await MikroORM.init({ driver: PostgreSqlDriver, clientUrl: db.url, entities: [], discovery: { warnWhenNoEntities: false } });
    const kit = createAdapterKit({ database: orm });
    await expect(kit.authjs.getUser("x")).rejects.toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining("entityList()") });
    await orm.close(true);
  });

  test("an unusable value is refused at creation with CONFIGURATION", () => {
    expect(() => createAdapterKit({ database: "mongodb://root:hunter2@localhost/x" })).toThrow(/expected a postgres:\/\/, mysql:\/\/, mariadb:\/\/ or sqlite: URL, or "memory" \(the value given is not shown\)/);
    expect(() => createAdapterKit({ database: { type: "mongodb" } as never })).toThrow(/database.type "mongodb" is not supported/);
  });

  test("missing tables: the error says how to create them", async () => {
    const empty = await createTestDatabase();
    const kit = createAdapterKit({ database: empty.url });
    try {
      await expect(kit.authjs.getUser("x")).rejects.toMatchObject({ code: "CONFIGURATION", message: expect.stringMatching(/kit\.migrate\(\)|synchronize: true/) });
    } finally {
      await kit.close();
      await empty.drop();
    }
  });
});

test("missing tables on SQLite: found by looking the table up, not by reading SQLite's message", async () => {
  const kit = createAdapterKit({ database: "sqlite::memory:", synchronize: false });
  try {
    const error = await kit.authjs.getUser("x").catch((e) => e);
    expect(error).toMatchObject({ code: "CONFIGURATION", cause: { kind: "undefined_table", table: "users", errno: "SQLITE_ERROR" } });
  } finally {
    await kit.close();
  }
});

describe("the seed's three equivalent forms", () => {
  const seedConfig = { type: "sqlite", database: ":memory:", synchronize: true } as const;

  test.each([
    ["database: config", () => createAdapterKit({ database: seedConfig })],
    ["Adapters.Default(config)", () => Adapters.Default(seedConfig).kit],
    ["Adapters.MikroORM.Adapter(config, options)", () => Adapters.MikroORM.Adapter(seedConfig, {}).kit],
  ])("%s gives a working v3 adapter", async (_name, make) => {
    const kit = make();
    try {
      expect(typeof kit.legacy.getAdapter).toBe("function");
      await v3RoundTrip(kit.legacy);
    } finally {
      await kit.close();
    }
  });

  test("Adapters.Default returns the v3 shape: getAdapter(appOptions)", async () => {
    const adapter = Adapters.Default(seedConfig);
    await v3RoundTrip(adapter);
    await adapter.kit.close();
  });
});

test("the embedded default (no options) creates its tables in SQLite memory", async () => {
  const kit = createAdapterKit();
  await v3RoundTrip(kit.legacy);
  await kit.close();
});
