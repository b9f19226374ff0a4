/**
 * Generates the next shipped migration for each platform from the kit's default entities:
 * applies the migrations already shipped to a scratch database, diffs it against
 * `createEntities()`, and writes the difference as a TypeScript migration class into
 * src/persistence/mikro-orm/migrations/<platform>/. Then add the class to that folder's index.ts
 * and the columns to migrations/layout.ts. SQLite migrations come without down(): MikroORM does not
 * generate down migrations for SQLite, so write it by hand.
 *
 *   node -r @swc-node/register scripts/generate-migrations.ts [postgresql|sqlite|mysql ...]
 *
 * PostgreSQL: a scratch database is created on KIT_TEST_PG (default postgresql://postgres@127.0.0.1:5432).
 * MySQL: on KIT_TEST_MARIADB (default mysql://root@127.0.0.1:3306) with the kit's own MySQL options
 * (utf8mb4, binary collation); one set fits MySQL 8 and MariaDB. On a MariaDB server the scratch
 * ORM uses the MariaDB driver: MikroORM's MySQL schema reader misreads MariaDB's column defaults.
 */
import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MikroORM, type Options } from "@mikro-orm/core";
import { Client } from "pg";
import { entityList } from "../src/persistence/mikro-orm/entities/createEntities";
import { resolveDatabase } from "../src/persistence/mikro-orm/resolveDatabase";
import { createMigrator, KIT_MIGRATIONS_TABLE, kitMigrationsConfig, type MigrationPlatform } from "../src/persistence/mikro-orm/Migrations";

const PG_SERVER = process.env.KIT_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432";
const OUT = join(__dirname, "../src/persistence/mikro-orm/migrations");

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: `${PG_SERVER}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function scratch(platform: MigrationPlatform): Promise<{ options: Options; cleanup(): Promise<void> }> {
  if (platform === "mysql") {
    const { createConnection } = await import("mysql2/promise");
    const server = process.env.KIT_TEST_MARIADB ?? "mysql://root@127.0.0.1:3306";
    const name = `kit_migrations_${process.pid}`;
    const admin = async (sql: string) => {
      const c = await createConnection({ uri: server });
      await c.query(sql).finally(() => c.end());
    };
    await admin(`create database \`${name}\``);
    const url = `${server.replace(/^mysql:/, process.env.KIT_TEST_MYSQL_IS_MYSQL ? "mysql:" : "mariadb:")}/${name}`;
    const { options } = resolveDatabase(url) as { options: Options };
    return { options, cleanup: () => admin(`drop database if exists \`${name}\``) };
  }
  if (platform === "postgresql") {
    const { PostgreSqlDriver } = await import("@mikro-orm/postgresql");
    const name = `kit_migrations_${process.pid}`;
    await admin(`create database "${name}"`);
    return { options: { driver: PostgreSqlDriver, clientUrl: `${PG_SERVER}/${name}` }, cleanup: () => admin(`drop database if exists "${name}" with (force)`) };
  }
  const { BetterSqliteDriver } = await import("@mikro-orm/better-sqlite");
  const dir = mkdtempSync(join(tmpdir(), "kit-migrations-"));
  return { options: { driver: BetterSqliteDriver, dbName: join(dir, "scratch.sqlite") }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function generate(platform: MigrationPlatform): Promise<void> {
  const { options, cleanup } = await scratch(platform);
  // The kit's migrations table set on the ORM itself too: the schema diff skips the table it names.
  const orm = await MikroORM.init({ ...options, entities: entityList(), allowGlobalContext: true, debug: false, migrations: { tableName: KIT_MIGRATIONS_TABLE } });
  try {
    const config = kitMigrationsConfig(platform);
    const migrator = createMigrator(orm, { ...config, emit: "ts" });
    await migrator.up();
    const result = await migrator.createMigration(join(OUT, platform));
    console.log(result.fileName ? `${platform}: wrote ${platform}/${result.fileName}` : `${platform}: the shipped migrations already match the entities`);
  } finally {
    await orm.close(true);
    await cleanup();
  }
}

(async () => {
  const platforms = (process.argv.slice(2) as MigrationPlatform[]).filter(Boolean);
  for (const platform of platforms.length ? platforms : (["postgresql", "sqlite", "mysql"] as const)) await generate(platform);
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
