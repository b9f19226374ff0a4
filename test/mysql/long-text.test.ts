import { randomBytes } from "node:crypto";
import { MikroORM } from "@mikro-orm/core";
import { Migrator } from "@mikro-orm/migrations";
import { encryptAccountTokens } from "../../plugins";
import { createAdapterKit, entityList, kitMigrationsConfig, type AdapterKit } from "../../src";
import { createTestMariaDb, mariaQuery, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";

/**
 * MySQL's `text` holds 64 KiB. An avatar handed over as a data URL (Auth.js's Microsoft Entra ID
 * provider sends the profile photo that way) or a large ID token fitted on PostgreSQL and SQLite
 * and was INVALID_INPUT here. The kit's text columns are `mediumtext` on MySQL and MariaDB.
 */
const IMAGE = `data:image/jpeg;base64,${randomBytes(90_000).toString("base64")}`; // 120 KB
const ID_TOKEN = `eyJ.${"x".repeat(100_000)}.sig`;
const ACCESS_TOKEN = "a".repeat(70_000); // encrypted: about 93 KB stored

const TEXT_COLUMNS = [
  "accounts.access_token",
  "accounts.id_token",
  "accounts.refresh_token",
  "accounts.scope",
  "accounts.session_state",
  "authenticators.credential_public_key",
  "users.image",
  "users.name",
];

async function roundTrip(kit: AdapterKit) {
  const user = await kit.authjs.createUser({ email: "entra@example.com", name: "Ada", image: IMAGE, emailVerified: null });
  await kit.authjs.linkAccount({ userId: user.id, type: "oidc", provider: "microsoft-entra-id", providerAccountId: "oid-1", id_token: ID_TOKEN, access_token: ACCESS_TOKEN });
  expect((await kit.authjs.getUser(user.id))?.image).toBe(IMAGE);
  const account = await kit.authjs.getAccount!("oid-1", "microsoft-entra-id");
  expect(account?.id_token).toBe(ID_TOKEN);
  expect(account?.access_token).toBe(ACCESS_TOKEN);
}

describe.each(MYSQL_DRIVERS)("text values over 64 KiB, MariaDB through the $name driver", ({ driver, url }) => {
  let db: TestMariaDb;
  beforeEach(async () => {
    db = await createTestMariaDb();
  });
  afterEach(() => db.drop());

  const textTypes = async () =>
    (
      await mariaQuery<{ col: string; t: string }>(
        db.mysqlUrl,
        "select concat(table_name, '.', column_name) as col, data_type as t from information_schema.columns where table_schema = database() and data_type like '%text' order by col",
      )
    ).map((r) => `${r.col} ${r.t}`);
  const plugins = () => [encryptAccountTokens({ keys: [{ id: "k1", key: randomBytes(32) }] })];

  test("after kit.migrate() and with synchronize: mediumtext columns, and the values round-trip", async () => {
    const migrated = createAdapterKit({ database: url(db), plugins: plugins() });
    try {
      await migrated.migrate();
      expect(await textTypes()).toEqual(TEXT_COLUMNS.map((c) => `${c} mediumtext`));
      await roundTrip(migrated);
    } finally {
      await migrated.close();
    }
    await mariaQuery(db.mysqlUrl, "drop table accounts, authenticators, sessions, verification_tokens, users, auth_kit_migrations");
    const synced = createAdapterKit({ database: url(db), synchronize: true, plugins: plugins() });
    try {
      await roundTrip(synced);
      expect(await textTypes()).toEqual(TEXT_COLUMNS.map((c) => `${c} mediumtext`));
    } finally {
      await synced.close();
    }
  });

  test("a database on the first migration: such a value was refused, and fits once migrated", async () => {
    const orm = await MikroORM.init({ driver, clientUrl: url(db), entities: entityList(), extensions: [Migrator], migrations: kitMigrationsConfig("mysql") });
    try {
      await orm.migrator.up({ to: "Migration20261126000000" });
    } finally {
      await orm.close(true);
    }
    const kit = createAdapterKit({ database: url(db), plugins: plugins() });
    try {
      expect(await textTypes()).toEqual(TEXT_COLUMNS.map((c) => `${c} text`));
      await expect(kit.authjs.createUser({ email: "entra@example.com", image: IMAGE, emailVerified: null })).rejects.toMatchObject({ code: "INVALID_INPUT" });
      await kit.migrate();
      await roundTrip(kit);
    } finally {
      await kit.close();
    }
  });
});
