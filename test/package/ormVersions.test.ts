/**
 * MikroORM is the app's (a peer dependency): an ORM made by another copy of @mikro-orm/core is a
 * CONFIGURATION error naming the kit's version, not a database error on the first call. (A real
 * version mismatch between installed packages is exercised by `npm run check:package`.)
 */
import type { MikroORM as MikroOrmType } from "@mikro-orm/core";
import { AdapterError, createAdapterKit, entityList } from "../../src";

type CoreModule = typeof import("@mikro-orm/core");
type SqliteModule = typeof import("@mikro-orm/better-sqlite");

/** Loads @mikro-orm/core and the SQLite driver afresh: a second copy of MikroORM, as two installs give. */
function secondCopy(): { core: CoreModule; sqlite: SqliteModule } {
  let loaded: { core: CoreModule; sqlite: SqliteModule } | undefined;
  jest.isolateModules(() => {
    loaded = { core: require("@mikro-orm/core") as CoreModule, sqlite: require("@mikro-orm/better-sqlite") as SqliteModule };
  });
  return loaded!;
}

const kitVersion = (require("@mikro-orm/core/package.json") as { version: string }).version;

describe("the app's MikroORM", () => {
  let orm: MikroOrmType | undefined;
  afterEach(async () => {
    await orm?.close(true);
    orm = undefined;
  });

  test("an ORM from another copy of @mikro-orm/core is refused with CONFIGURATION naming the kit's version", async () => {
    const { core, sqlite } = secondCopy();
    expect(core.MikroORM).not.toBe(require("@mikro-orm/core").MikroORM); // really a second copy
    const entities = entityList().map((schema) => new core.EntitySchema(schema.meta as never));
    orm = (await core.MikroORM.init({ driver: sqlite.BetterSqliteDriver, dbName: ":memory:", entities, allowGlobalContext: true })) as unknown as MikroOrmType;
    const kit = createAdapterKit({ database: orm });
    try {
      const error = await kit.authjs.getUserByEmail("ada@example.com").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AdapterError);
      expect((error as AdapterError).code).toBe("CONFIGURATION");
      expect((error as AdapterError).message).toContain(`the kit runs on @mikro-orm/core ${kitVersion}`);
      expect((error as AdapterError).message).toMatch(/two copies of MikroORM are installed/);
    } finally {
      await kit.close();
    }
    expect(await orm.isConnected()).toBe(true); // the app's ORM stays the app's
  });

  test("an ORM from the kit's own copy works", async () => {
    const { MikroORM } = require("@mikro-orm/core") as CoreModule;
    const { BetterSqliteDriver } = require("@mikro-orm/better-sqlite") as SqliteModule;
    orm = await MikroORM.init({ driver: BetterSqliteDriver, dbName: ":memory:", entities: entityList() });
    await orm.schema.createSchema();
    const kit = createAdapterKit({ database: orm });
    try {
      const user = await kit.authjs.createUser({ email: "ada@example.com", emailVerified: null });
      expect(await kit.authjs.getUserByEmail("ada@example.com")).toEqual(user);
    } finally {
      await kit.close();
    }
  });
});
