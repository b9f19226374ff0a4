import { MariaDbDriver } from "@mikro-orm/mariadb";
import { MikroORM } from "@mikro-orm/core";
import { Migrator } from "@mikro-orm/migrations";
import { createAdapterKit, entityList, KIT_MIGRATIONS_TABLE, kitMigrationsConfig, nextAuthV3Entities } from "../../src";
import { authjsRoundTrip } from "../support/authjsRoundTrip";
import { createTestMariaDb, mariaQuery, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";

const INITIAL = "Migration20261126000000";
const EXACT = "Migration20261202000000"; // keys compare without padding (exact-keys.test.ts)
const KIT_TABLES = ["accounts", "authenticators", "sessions", "users", "verification_tokens"];

describe.each(MYSQL_DRIVERS)("shipped migrations on MariaDB through the $name driver", ({ driver, url }) => {
  let db: TestMariaDb;
  beforeEach(async () => {
    db = await createTestMariaDb();
  });
  afterEach(() => db.drop());

  const tables = async () =>
    (await mariaQuery<{ t: string }>(db.mysqlUrl, "select table_name as t from information_schema.tables where table_schema = database() ")).map((r) => r.t).sort();

  test("up serves the Auth.js contract with exactly the entities' schema; down removes the tables; up again works", async () => {
    const kit = createAdapterKit({ database: url(db) });
    try {
      expect(await kit.migrate()).toEqual([INITIAL, EXACT]);
      expect(await tables()).toEqual([KIT_MIGRATIONS_TABLE, ...KIT_TABLES].sort());
      expect(await kit.migrate()).toEqual([]);
      // Nothing left for MikroORM to change (read with the MariaDB driver: MikroORM's MySQL schema
      // reader takes MariaDB's "NULL" column defaults for strings).
      const orm = await MikroORM.init({ driver: MariaDbDriver, clientUrl: db.mariadbUrl, entities: entityList(), collate: "utf8mb4_nopad_bin", migrations: { tableName: KIT_MIGRATIONS_TABLE } });
      try {
        expect(await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).toBe("");
      } finally {
        await orm.close(true);
      }
      // utf8mb4 with a binary NO PAD collation: keys compare exactly, as on PostgreSQL.
      const collations = await mariaQuery<{ c: string }>(db.mysqlUrl, "select distinct table_collation as c from information_schema.tables where table_schema = database() and table_name <> ?", [KIT_MIGRATIONS_TABLE]);
      expect(collations).toEqual([{ c: "utf8mb4_nopad_bin" }]);

      await authjsRoundTrip(kit.authjs);

      // down reverts one migration at a time: the collation, then the tables.
      expect(await kit.migrate({ down: true, confirmDrop: true })).toEqual([EXACT]);
      expect(await tables()).toEqual([KIT_MIGRATIONS_TABLE, ...KIT_TABLES].sort());
      expect(await kit.migrate({ down: true, confirmDrop: true })).toEqual([INITIAL]);
      expect(await tables()).toEqual([KIT_MIGRATIONS_TABLE]);
      expect(await kit.migrate()).toEqual([INITIAL, EXACT]);
      await authjsRoundTrip(kit.authjs);
    } finally {
      await kit.close();
    }
  });

  test("tables made earlier by synchronize are adopted, and the MikroORM CLI config sees them as applied", async () => {
    const synced = createAdapterKit({ database: url(db), synchronize: true });
    let userId: string;
    try {
      userId = (await synced.authjs.createUser({ email: "kept@example.com", emailVerified: null })).id;
    } finally {
      await synced.close();
    }
    const kit = createAdapterKit({ database: url(db) });
    try {
      expect(await kit.migrate()).toEqual([EXACT]);
      expect(await kit.authjs.getUser(userId)).toMatchObject({ email: "kept@example.com" });
    } finally {
      await kit.close();
    }
    const orm = await MikroORM.init({ driver, clientUrl: url(db), entities: entityList(), extensions: [Migrator], migrations: kitMigrationsConfig("mysql") });
    try {
      expect((await orm.migrator.getExecutedMigrations()).map((m) => m.name)).toEqual([INITIAL, EXACT]);
      expect(await orm.migrator.getPendingMigrations()).toEqual([]);
    } finally {
      await orm.close(true);
    }
  });

  test("the MikroORM CLI route on an empty database, then the v3 preset is refused by kit.migrate()", async () => {
    const orm = await MikroORM.init({ driver, clientUrl: url(db), entities: entityList(), extensions: [Migrator], migrations: kitMigrationsConfig("mysql") });
    try {
      expect((await orm.migrator.up()).map((m) => m.name)).toEqual([INITIAL, EXACT]);
    } finally {
      await orm.close(true);
    }
    expect(await tables()).toEqual([KIT_MIGRATIONS_TABLE, ...KIT_TABLES].sort());
    const v3 = createAdapterKit({ database: url(db), entities: nextAuthV3Entities({ dialect: "mysql" }) });
    try {
      await expect(v3.migrate()).rejects.toMatchObject({ code: "CONFIGURATION", message: expect.stringMatching(/MikroORM CLI/) });
    } finally {
      await v3.close();
    }
  });
});
