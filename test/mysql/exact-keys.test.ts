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

  /** kit.migrate() runs `names`, leaves every table NO PAD with its key to users, and keys compare exactly. */
  async function expectMigrated(kit: ReturnType<typeof createAdapterKit>, names: string[]) {
    expect(await kit.migrate()).toEqual(names);
    expect(await collations()).toEqual(KIT_TABLES.map((t) => ({ t, c: "utf8mb4_nopad_bin" })));
    expect(await keysToUsers()).toBe(3);
    await expectExact(kit.authjs);
  }

  test("after kit.migrate(): the tables use the NO PAD binary collation and a padded value finds nothing", async () => {
    const kit = createAdapterKit({ database: url(db) });
    try {
      await expectMigrated(kit, [INITIAL, EXACT]);
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

  test("synchronize with MikroORM options: a `collate` they set is kept, none set gets the NO PAD one", async () => {
    for (const [collate, expected] of [["utf8mb4_bin", "utf8mb4_bin"], [undefined, "utf8mb4_nopad_bin"]] as const) {
      const kit = createAdapterKit({ database: { driver, clientUrl: url(db), ...(collate && { collate }) }, synchronize: true });
      try {
        await kit.authjs.getUser!("u1");
        expect(await collations()).toEqual(KIT_TABLES.map((t) => ({ t, c: expected })));
      } finally {
        await kit.close();
      }
      for (const t of ["sessions", "accounts", "authenticators", "verification_tokens", "users"]) await mariaQuery(db.mysqlUrl, `drop table ${t}`);
    }
  });

  const migrateToInitial = async () => {
    const orm = await MikroORM.init({ driver, clientUrl: url(db), entities: entityList(), extensions: [Migrator], migrations: kitMigrationsConfig("mysql") });
    try {
      await orm.migrator.up({ to: INITIAL });
    } finally {
      await orm.close(true);
    }
  };

  test("an app table with a key to users: refused before anything changes, and converted once that key is gone", async () => {
    await migrateToInitial();
    await mariaQuery(db.mysqlUrl, "create table orders (id int primary key, user_id varchar(255) collate utf8mb4_bin, constraint orders_user_fk foreign key (user_id) references users (id)) default charset utf8mb4 collate utf8mb4_bin");
    const kit = createAdapterKit({ database: url(db) });
    try {
      await expect(kit.migrate()).rejects.toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining("`orders`.`orders_user_fk` (to `users`)") });
      expect(await collations()).toEqual([...KIT_TABLES, "orders"].sort().map((t) => ({ t, c: "utf8mb4_bin" })));
      expect(await keysToUsers()).toBe(4);

      await mariaQuery(db.mysqlUrl, "alter table orders drop foreign key orders_user_fk");
      expect(await kit.migrate()).toEqual([EXACT]);
      expect(await keysToUsers()).toBe(3);
    } finally {
      await kit.close();
    }
  });

  test("a run that stopped halfway (keys dropped, some tables converted) completes when run again", async () => {
    await migrateToInitial();
    // What a run cut off after converting users and sessions leaves behind.
    for (const table of ["sessions", "accounts", "authenticators"]) await mariaQuery(db.mysqlUrl, `alter table ${table} drop foreign key ${table}_user_id_foreign`);
    for (const table of ["users", "sessions"]) await mariaQuery(db.mysqlUrl, `alter table ${table} convert to character set utf8mb4 collate utf8mb4_nopad_bin`);
    await mariaQuery(db.mysqlUrl, "alter table sessions add constraint sessions_user_id_foreign foreign key (user_id) references users (id) on update cascade on delete cascade");
    const kit = createAdapterKit({ database: url(db) });
    try {
      await expectMigrated(kit, [EXACT]);
    } finally {
      await kit.close();
    }
  });

  test("down refuses rows the old columns cannot hold, naming no value, and changes nothing", async () => {
    const kit = createAdapterKit({ database: url(db) });
    try {
      await kit.migrate();
      const user = await kit.authjs.createUser!({ email: "ada@example.com", emailVerified: null });
      await kit.authjs.createUser!({ email: "ada@example.com ", emailVerified: null });
      await kit.authjs.createAuthenticator!({
        userId: user.id,
        providerAccountId: "cred-1",
        credentialID: "cred-1",
        credentialPublicKey: "key",
        counter: 3_000_000_000,
        credentialDeviceType: "singleDevice",
        credentialBackedUp: false,
      });
      const error = await kit.migrate({ down: true, confirmDrop: true }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "CONFIGURATION" });
      const message = (error as Error).message;
      expect(message).toContain("`users` has rows whose `email` differ only in trailing spaces");
      expect(message).toContain("`authenticators`.`counter` holds values too large");
      expect(message).not.toContain("ada@");
      expect(await collations()).toEqual(KIT_TABLES.map((t) => ({ t, c: "utf8mb4_nopad_bin" })));
      expect(await keysToUsers()).toBe(3);
    } finally {
      await kit.close();
    }
  });
});
