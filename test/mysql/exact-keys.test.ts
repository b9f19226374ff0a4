import { MikroORM } from "@mikro-orm/core";
import { Migrator } from "@mikro-orm/migrations";
import type { Adapter } from "@auth/core/adapters";
import { createAdapterKit, entityList, KIT_MIGRATIONS_TABLE, kitMigrationsConfig } from "../../src";
import { createTestMariaDb, mariaQuery, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";

/**
 * MySQL's and MariaDB's `utf8mb4_bin` ignores trailing spaces when comparing (PAD SPACE): there
 * `"ada@example.com "` found `ada@example.com`. PostgreSQL and SQLite tell them apart, and so must
 * the kit's MySQL tables.
 */
const INITIAL = "Migration20261126000000";
const EXACT = "Migration20261202000000";
const KIT_TABLES = ["accounts", "authenticators", "sessions", "users", "verification_tokens"];
const DAY = 24 * 3600 * 1000;

async function seed(adapter: Adapter) {
  const user = await adapter.createUser!({ id: "user-ada", email: "ada@example.com", emailVerified: null });
  await adapter.linkAccount!({ userId: user.id, type: "oauth", provider: "github", providerAccountId: "4242" });
  const session = await adapter.createSession!({ sessionToken: "session-token-1", userId: user.id, expires: new Date(Date.now() + DAY) });
  await adapter.createVerificationToken!({ identifier: "ada@example.com", token: "link-token-1", expires: new Date(Date.now() + DAY) });
  return { user, session };
}

/** What each lookup finds when the caller's value has a trailing space. */
async function paddedLookups(adapter: Adapter, userId: string) {
  return {
    byEmail: (await adapter.getUserByEmail!("ada@example.com "))?.id ?? null,
    byId: (await adapter.getUser!(`${userId} `))?.id ?? null,
    byAccount: (await adapter.getUserByAccount!({ provider: "github", providerAccountId: "4242 " }))?.id ?? null,
    token: (await adapter.useVerificationToken!({ identifier: "ada@example.com ", token: "link-token-1 " }))?.token ?? null,
  };
}

const NOTHING = { byEmail: null, byId: null, byAccount: null, token: null };

describe.each(MYSQL_DRIVERS)("keys differing only in trailing spaces, MariaDB through the $name driver", ({ driver, url }) => {
  let db: TestMariaDb;
  beforeEach(async () => {
    db = await createTestMariaDb();
  });
  afterEach(() => db.drop());

  const collations = () =>
    mariaQuery<{ t: string; c: string }>(
      db.mysqlUrl,
      "select table_name as t, table_collation as c from information_schema.tables where table_schema = database() and table_name <> ? order by t",
      [KIT_MIGRATIONS_TABLE],
    );
  const keysToUsers = async () =>
    (await mariaQuery<{ n: number }>(db.mysqlUrl, "select count(*) as n from information_schema.referential_constraints where constraint_schema = database() and referenced_table_name = 'users'"))[0]!.n;

  async function expectExact(adapter: Adapter) {
    const { user } = await seed(adapter);
    expect(await paddedLookups(adapter, user.id)).toEqual(NOTHING);
    // Two keys, as on PostgreSQL: the padded value is a user, an account and a link of its own.
    const padded = await adapter.createUser!({ id: "user-ada-padded", email: "ada@example.com ", emailVerified: null });
    expect(padded.id).not.toBe(user.id);
    await adapter.linkAccount!({ userId: padded.id, type: "oauth", provider: "github", providerAccountId: "4242 " });
    expect((await adapter.getUserByAccount!({ provider: "github", providerAccountId: "4242" }))?.id).toBe(user.id);
    expect((await adapter.getUserByAccount!({ provider: "github", providerAccountId: "4242 " }))?.id).toBe(padded.id);
    expect(await adapter.useVerificationToken!({ identifier: "ada@example.com", token: "link-token-1" })).toMatchObject({ token: "link-token-1" });
  }

  test("after kit.migrate(): the tables use the NO PAD binary collation and a padded value finds nothing", async () => {
    const kit = createAdapterKit({ database: url(db) });
    try {
      expect(await kit.migrate()).toEqual([INITIAL, EXACT]);
      expect(await collations()).toEqual(KIT_TABLES.map((t) => ({ t, c: "utf8mb4_nopad_bin" })));
      expect(await keysToUsers()).toBe(3);
      await expectExact(kit.authjs);
    } finally {
      await kit.close();
    }
  });

  test("synchronize: true creates the tables with the same collation", async () => {
    const kit = createAdapterKit({ database: url(db), synchronize: true });
    try {
      await expectExact(kit.authjs);
      expect(await collations()).toEqual(KIT_TABLES.map((t) => ({ t, c: "utf8mb4_nopad_bin" })));
    } finally {
      await kit.close();
    }
  });

  test("a database on the first migration is converted with its rows and keys, and down converts it back", async () => {
    const orm = await MikroORM.init({ driver, clientUrl: url(db), entities: entityList(), extensions: [Migrator], migrations: kitMigrationsConfig("mysql") });
    try {
      expect((await orm.migrator.up({ to: INITIAL })).map((m) => m.name)).toEqual([INITIAL]);
    } finally {
      await orm.close(true);
    }
    const kit = createAdapterKit({ database: url(db) });
    try {
      const { user, session } = await seed(kit.authjs);
      // The old tables: every padded lookup found Ada's rows.
      expect(await paddedLookups(kit.authjs, user.id)).toEqual({ byEmail: user.id, byId: user.id, byAccount: user.id, token: "link-token-1" });
      await kit.authjs.createVerificationToken!({ identifier: "ada@example.com", token: "link-token-1", expires: new Date(Date.now() + DAY) });

      expect(await kit.migrate()).toEqual([EXACT]);
      expect(await collations()).toEqual(KIT_TABLES.map((t) => ({ t, c: "utf8mb4_nopad_bin" })));
      expect(await keysToUsers()).toBe(3);
      expect(await kit.authjs.getSessionAndUser!(session.sessionToken)).toMatchObject({ user: { id: user.id, email: "ada@example.com" } });
      expect(await paddedLookups(kit.authjs, user.id)).toEqual(NOTHING);
      // The keys to users were made again: deleting the user still takes its sessions and accounts.
      await kit.authjs.deleteUser!(user.id);
      expect(await kit.authjs.getSessionAndUser!(session.sessionToken)).toBeNull();
      expect(await mariaQuery(db.mysqlUrl, "select id from accounts")).toEqual([]);

      await kit.authjs.createUser!({ id: "user-ada-again", email: "ada@example.com", emailVerified: null });
      expect(await kit.migrate({ down: true, confirmDrop: true })).toEqual([EXACT]);
      expect(await collations()).toEqual(KIT_TABLES.map((t) => ({ t, c: "utf8mb4_bin" })));
      expect(await keysToUsers()).toBe(3);
      expect(await kit.authjs.getUserByEmail!("ada@example.com")).toMatchObject({ email: "ada@example.com" });
    } finally {
      await kit.close();
    }
  });
});
