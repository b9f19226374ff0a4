import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BetterSqliteDriver } from "@mikro-orm/better-sqlite";
import { MikroORM } from "@mikro-orm/core";
import { Migrator } from "@mikro-orm/migrations";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { createAdapterKit, createEntities, entityList, KIT_MIGRATIONS_TABLE, kitMigrationsConfig, nextAuthV3Entities } from "../../src";
import { authjsRoundTrip } from "../support/authjsRoundTrip";
import { createTestDatabase, query, type TestDatabase } from "../support/database";

const INITIAL = "Migration20261126000000";
const COUNTER = "Migration20261202000000"; // PostgreSQL: authenticators.counter as bigint
const KIT_TABLES = ["accounts", "authenticators", "sessions", "users", "verification_tokens"];

describe("shipped migrations on PostgreSQL", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  const tables = async () =>
    (await query<{ table_name: string }>(db.url, "select table_name from information_schema.tables where table_schema = 'public' order by 1")).map((r) => r.table_name);

  test("an empty database migrated up serves the Auth.js contract; down removes the tables; up again works", async () => {
    const kit = createAdapterKit({ database: db.url });
    try {
      expect(await kit.migrate()).toEqual([INITIAL, COUNTER]);
      expect(await tables()).toEqual([KIT_MIGRATIONS_TABLE, ...KIT_TABLES].sort());
      expect(await kit.migrate()).toEqual([]); // nothing pending: a second run is a no-op

      await authjsRoundTrip(kit.authjs);

      // Dropping needs a confirmation; without it nothing changes.
      await expect(kit.migrate({ down: true })).rejects.toMatchObject({ code: "CONFIGURATION", message: expect.stringMatching(/confirmDrop/) });
      expect(await tables()).toEqual([KIT_MIGRATIONS_TABLE, ...KIT_TABLES].sort());

      // One migration at a time: the counter's type, then the tables.
      expect(await kit.migrate({ down: true, confirmDrop: true })).toEqual([COUNTER]);
      expect(await tables()).toEqual([KIT_MIGRATIONS_TABLE, ...KIT_TABLES].sort());
      expect(await kit.migrate({ down: true, confirmDrop: true })).toEqual([INITIAL]);
      expect(await tables()).toEqual([KIT_MIGRATIONS_TABLE]);
      expect(await query(db.url, `select name from ${KIT_MIGRATIONS_TABLE}`)).toEqual([]);

      expect(await kit.migrate()).toEqual([INITIAL, COUNTER]);
      await authjsRoundTrip(kit.authjs);
    } finally {
      await kit.close();
    }
  });

  test("the migrated schema is exactly what the entities describe (no pending schema difference)", async () => {
    const kit = createAdapterKit({ database: db.url });
    try {
      await kit.migrate();
    } finally {
      await kit.close();
    }
    const orm = await MikroORM.init({ driver: PostgreSqlDriver, clientUrl: db.url, entities: entityList(), migrations: { tableName: KIT_MIGRATIONS_TABLE } });
    try {
      expect(await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).toBe("");
    } finally {
      await orm.close(true);
    }
  });

  test("tables made earlier by synchronize are adopted: the initial migration is recorded, the rows stay", async () => {
    const synced = createAdapterKit({ database: db.url, synchronize: true });
    let userId: string;
    try {
      userId = (await synced.authjs.createUser({ email: "kept@example.com", emailVerified: null })).id;
    } finally {
      await synced.close();
    }
    const kit = createAdapterKit({ database: db.url });
    try {
      // The initial migration is adopted; the later ones run on the adopted tables.
      expect(await kit.migrate()).toEqual([COUNTER]);
      expect(await query(db.url, `select name from ${KIT_MIGRATIONS_TABLE} order by name`)).toEqual([{ name: INITIAL }, { name: COUNTER }]);
      expect(await kit.authjs.getUser(userId)).toMatchObject({ email: "kept@example.com" });

      // The kit did not create these tables, so even a confirmed down leaves them and their rows
      // (it reverts the later migration, which drops nothing, and refuses the adopted one).
      expect(await kit.migrate({ down: true, confirmDrop: true })).toEqual([COUNTER]);
      await expect(kit.migrate({ down: true, confirmDrop: true })).rejects.toMatchObject({ code: "CONFIGURATION", message: expect.stringMatching(/adopted/) });
      expect(await tables()).toEqual(expect.arrayContaining(KIT_TABLES));
      expect(await query(db.url, `select name from ${KIT_MIGRATIONS_TABLE}`)).toEqual([{ name: INITIAL }]);
      expect(await kit.authjs.getUser(userId)).toMatchObject({ email: "kept@example.com" });
    } finally {
      await kit.close();
    }
  });

  test("an app's own MikroORM keeps its migrations table; the kit's runs from auth_kit_migrations", async () => {
    const orm = await MikroORM.init({ driver: PostgreSqlDriver, clientUrl: db.url, entities: entityList(), extensions: [Migrator] });
    const kit = createAdapterKit({ database: orm });
    try {
      expect(await kit.migrate()).toEqual([INITIAL, COUNTER]);
      expect(orm.config.get("migrations").tableName).toBe("mikro_orm_migrations");
      expect(await tables()).not.toContain("mikro_orm_migrations");
      await authjsRoundTrip(kit.authjs);
    } finally {
      await kit.close();
      await orm.close(true);
    }
  });

  test("the MikroORM CLI route: a config with kitMigrationsConfig() runs the same migrations", async () => {
    // What `npx mikro-orm migration:up --config ./mikro-orm.auth.config.ts` does with that config.
    const orm = await MikroORM.init({
      driver: PostgreSqlDriver,
      clientUrl: db.url,
      entities: entityList(),
      extensions: [Migrator],
      migrations: kitMigrationsConfig("postgresql"),
    });
    try {
      expect((await orm.migrator.up()).map((m) => m.name)).toEqual([INITIAL, COUNTER]);
    } finally {
      await orm.close(true);
    }
    expect(await tables()).toEqual([KIT_MIGRATIONS_TABLE, ...KIT_TABLES].sort());
    const kit = createAdapterKit({ database: db.url });
    try {
      expect(await kit.migrate()).toEqual([]); // the kit sees them as applied
    } finally {
      await kit.close();
    }
  });

  test("a custom layout or the NextAuth v3 preset is refused with a message saying what to do", async () => {
    for (const entities of [createEntities({ tables: { user: "app_users" } }), createEntities({ properties: { user: { role: { type: "string", nullable: true } } } }), nextAuthV3Entities()]) {
      const kit = createAdapterKit({ database: db.url, entities });
      try {
        await expect(kit.migrate()).rejects.toMatchObject({ code: "CONFIGURATION", message: expect.stringMatching(/MikroORM CLI/) });
      } finally {
        await kit.close();
      }
    }
    expect(await tables()).toEqual([]);
  });
});

describe("shipped migrations on SQLite", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kit-migrations-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The file's tables, and what MikroORM would still change to match the entities. */
  const inspect = async (file: string) => {
    const orm = await MikroORM.init({ driver: BetterSqliteDriver, dbName: file, entities: entityList(), migrations: { tableName: KIT_MIGRATIONS_TABLE } });
    try {
      const rows: { name: string }[] = await orm.em.getConnection().execute("select name from sqlite_master where type = 'table' order by name");
      return { tables: rows.map((r) => r.name), pending: await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false }) };
    } finally {
      await orm.close(true);
    }
  };

  test("a file database migrated up serves the Auth.js contract; down removes the tables; up again works", async () => {
    const file = join(dir, "auth.sqlite");
    const kit = createAdapterKit({ database: { type: "sqlite", database: file } });
    try {
      expect(await kit.migrate()).toEqual([INITIAL]);
      const migrated = await inspect(file);
      expect(migrated.tables).toEqual(expect.arrayContaining([KIT_MIGRATIONS_TABLE, ...KIT_TABLES]));
      expect(migrated.pending).toBe(""); // exactly the schema the entities describe

      await authjsRoundTrip(kit.authjs);

      expect(await kit.migrate({ down: true, confirmDrop: true })).toEqual([INITIAL]);
      expect((await inspect(file)).tables.filter((t) => KIT_TABLES.includes(t))).toEqual([]);

      expect(await kit.migrate()).toEqual([INITIAL]);
      await authjsRoundTrip(kit.authjs);
    } finally {
      await kit.close();
    }
  });
});
