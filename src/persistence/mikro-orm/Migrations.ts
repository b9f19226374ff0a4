import type { Configuration, MigrationObject, MigrationsOptions, MikroORM } from "@mikro-orm/core";
import { BaseSqlitePlatform, MySqlPlatform, EntityManager as SqlEntityManager, type AbstractSqlConnection, type AbstractSqlDriver } from "@mikro-orm/knex";
import type { Migrator } from "@mikro-orm/migrations";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import { optionalPeer } from "../../kernel/optionalPeer";
import { ENTITY_NAMES, type EntityKey } from "./entities/createEntities";
import { DEFAULT_LAYOUT } from "./migrations/layout";
import { matchingOrmPackage } from "./ormVersions";

/** The kit's own migrations table, so it never mixes with the app's `mikro_orm_migrations`. */
export const KIT_MIGRATIONS_TABLE = "auth_kit_migrations";

/**
 * Kit migrations recorded as applied because their tables were already there (made by
 * `synchronize` or by hand): the kit adopted those tables and never drops them.
 */
export const KIT_ADOPTED_TABLE = "auth_kit_adopted";

/** `mysql` covers MySQL 8 and MariaDB (either driver): one set of migrations fits both. */
export type MigrationPlatform = "postgresql" | "sqlite" | "mysql";

export interface MigrateOptions {
  /** Revert the most recent kit migration instead of applying the pending ones. Needs `confirmDrop`. */
  down?: boolean;
  /**
   * Required with `down: true`: reverting drops tables and every row in them. Even then the kit
   * refuses to revert a migration whose tables it adopted rather than created.
   */
  confirmDrop?: boolean;
}

function migrationsPackage(): typeof import("@mikro-orm/migrations") {
  return optionalPeer(() => matchingOrmPackage("@mikro-orm/migrations"), "kit.migrate()", () => require("@mikro-orm/migrations"));
}

/**
 * The migrations shipped for the default tables, in order, as MikroORM's `migrationsList`
 * (classes compiled with the package: nothing is read from disk, no ts-node needed).
 */
export function kitMigrations(platform: MigrationPlatform): MigrationObject[] {
  migrationsPackage(); // the classes extend its Migration: say how to install it when it is missing
  const list: { MIGRATIONS: MigrationObject[] } =
    platform === "postgresql" ? require("./migrations/postgresql") : platform === "mysql" ? require("./migrations/mysql") : require("./migrations/sqlite");
  return [...list.MIGRATIONS];
}

/**
 * MikroORM `migrations` options that run the kit's migrations from their own table: what
 * `kit.migrate()` uses, and what a MikroORM CLI config for the kit's tables sets.
 */
export function kitMigrationsConfig(platform: MigrationPlatform): MigrationsOptions {
  return {
    tableName: KIT_MIGRATIONS_TABLE,
    migrationsList: kitMigrations(platform),
    // MySQL and MariaDB commit DDL implicitly: a transaction around it would only pretend.
    transactional: platform !== "mysql",
    allOrNothing: platform !== "mysql",
    // `session_replication_role` needs a superuser on PostgreSQL; the migrations need no such thing.
    disableForeignKeys: false,
    snapshot: false,
    silent: true,
  };
}

/** Which shipped set fits the ORM's database. */
export function migrationPlatform(orm: MikroORM): MigrationPlatform {
  const platform = orm.em.getPlatform();
  if (platform instanceof BaseSqlitePlatform) return "sqlite";
  if (platform instanceof MySqlPlatform) return "mysql"; // MariaDbPlatform extends it
  const { PostgreSqlPlatform } = require("@mikro-orm/postgresql") as typeof import("@mikro-orm/postgresql");
  if (platform instanceof PostgreSqlPlatform) return "postgresql";
  throw new AdapterError(ErrorCode.CONFIGURATION, "the kit ships migrations for PostgreSQL, MySQL/MariaDB and SQLite only");
}

/**
 * @internal (not in the published types, which must not need `@mikro-orm/migrations`)
 * A MikroORM Migrator that reads `migrations` options of its own: it runs on the ORM's connection,
 * but an app's own migration settings (and its `mikro_orm_migrations` table) stay untouched.
 */
export function createMigrator(orm: MikroORM, options: MigrationsOptions): Migrator {
  const { Migrator } = migrationsPackage();
  const base = orm.config;
  const config = Object.create(base) as Configuration;
  const merged = { ...base.get("migrations"), ...options };
  config.get = ((key: string, fallback?: unknown) => (key === "migrations" ? merged : base.get(key as never, fallback as never))) as Configuration["get"];
  const driver = orm.em.getDriver() as AbstractSqlDriver;
  return new Migrator(new SqlEntityManager(config, driver, orm.getMetadata(), false));
}

/**
 * Applies the pending kit migrations (or reverts the last one) and returns the names that ran.
 * A database whose kit tables were created by `synchronize` is adopted: the initial migration is
 * recorded as applied instead of failing on tables that already exist, and marked as adopted in
 * `auth_kit_adopted`, so `down` never drops those tables. `down` also needs `confirmDrop: true`.
 */
export async function migrate(orm: MikroORM, options: MigrateOptions = {}): Promise<string[]> {
  checkLayout(orm);
  const config = kitMigrationsConfig(migrationPlatform(orm));
  const migrator = createMigrator(orm, config);
  if (options.down) {
    if (options.confirmDrop !== true) {
      throw new AdapterError(
        ErrorCode.CONFIGURATION,
        "kit.migrate({ down: true }) reverts the last kit migration, which drops tables and every row in them: pass `confirmDrop: true` as well if you mean it",
      );
    }
    const last = (await migrator.getExecutedMigrations()).at(-1);
    if (last && (await adopted(orm, last.name))) {
      throw new AdapterError(
        ErrorCode.CONFIGURATION,
        `kit.migrate({ down: true }): the tables of ${last.name} were there before the kit (made by synchronize or by hand) and the kit adopted them; it never drops tables it did not create. Drop them yourself if you mean to`,
      );
    }
    return (await ownErrors(migrator.down())).map((m) => m.name);
  }
  await adoptSynchronizedTables(orm, migrator, config.migrationsList![0] as MigrationObject);
  return (await ownErrors(migrator.up())).map((m) => m.name);
}

/** A migration's own refusal (an AdapterError) reaches the caller as it is, not wrapped by umzug. */
async function ownErrors<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    throw cause instanceof AdapterError ? cause : error;
  }
}

function knex(orm: MikroORM) {
  return ((orm.em.getDriver() as AbstractSqlDriver).getConnection() as AbstractSqlConnection).getKnex();
}

/** True when the kit recorded `name` as applied to tables it found rather than created. */
async function adopted(orm: MikroORM, name: string): Promise<boolean> {
  const db = knex(orm);
  if (!(await db.schema.hasTable(KIT_ADOPTED_TABLE))) return false;
  return (await db(KIT_ADOPTED_TABLE).where({ name }).first()) !== undefined;
}

/** Remembers that `name` was adopted, so a later `down` leaves its tables alone. */
async function markAdopted(orm: MikroORM, name: string): Promise<void> {
  const db = knex(orm);
  if (!(await db.schema.hasTable(KIT_ADOPTED_TABLE))) {
    await db.schema.createTable(KIT_ADOPTED_TABLE, (t) => {
      t.string("name", 255).primary();
      t.timestamp("adopted_at").notNullable().defaultTo(db.fn.now());
    });
  }
  await db(KIT_ADOPTED_TABLE).insert({ name }).onConflict("name").ignore();
}

/** The kit is about to create the tables itself: an old adoption mark (tables since dropped by hand) no longer holds. */
async function clearAdopted(orm: MikroORM, name: string): Promise<void> {
  const db = knex(orm);
  if (await db.schema.hasTable(KIT_ADOPTED_TABLE)) await db(KIT_ADOPTED_TABLE).where({ name }).delete();
}

async function adoptSynchronizedTables(orm: MikroORM, migrator: Migrator, initial: MigrationObject): Promise<void> {
  if ((await migrator.getExecutedMigrations()).length > 0) return;
  const helper = (orm.em.getDriver() as AbstractSqlDriver).getPlatform().getSchemaHelper()!;
  const rows: Array<{ table_name: string; schema_name?: string }> = await (orm.em.getDriver() as AbstractSqlDriver).getConnection().execute(helper.getListTablesSQL());
  const schema = orm.config.get("schema", orm.em.getPlatform().getDefaultSchemaName());
  const present = new Set(rows.filter((r) => !r.schema_name || r.schema_name === schema).map((r) => r.table_name));
  const tables = Object.values(DEFAULT_LAYOUT).map((t) => t.table);
  const found = tables.filter((t) => present.has(t));
  if (found.length === 0) return clearAdopted(orm, initial.name);
  if (found.length < tables.length) {
    throw new AdapterError(
      ErrorCode.CONFIGURATION,
      `kit.migrate(): some of the kit's tables exist (${found.join(", ")}) and others do not: create the rest by hand or drop these first`,
    );
  }
  await checkAdoptedColumns(orm, schema);
  await markAdopted(orm, initial.name);
  await migrator.getStorage().logMigration({ name: initial.name, context: null });
}

/**
 * Tables of the kit's names but another layout (another adapter's, say) are not adopted: the
 * later migrations and every statement would fail on them one column at a time.
 */
async function checkAdoptedColumns(orm: MikroORM, schema: string | undefined): Promise<void> {
  const db = knex(orm);
  const lacking: string[] = [];
  for (const { table, columns } of Object.values(DEFAULT_LAYOUT)) {
    const info = await (schema ? db(table).withSchema(schema) : db(table)).columnInfo();
    const missing = columns.filter((column) => !Object.prototype.hasOwnProperty.call(info, column));
    if (missing.length > 0) lacking.push(`${table} (${missing.join(", ")})`);
  }
  if (lacking.length === 0) return;
  throw new AdapterError(
    ErrorCode.CONFIGURATION,
    `kit.migrate(): tables of the kit's names exist but lack its columns: ${lacking.join("; ")}. ` +
      "For tables another adapter made, pass its preset (pgAdapterEntities(), nextAuthV3Entities()) or createEntities({...}) with your names, and use kit.synchronize() or your own migrations",
  );
}

/**
 * The shipped migrations create the default layout only. Renamed tables, a schema, extra columns
 * or the NextAuth v3 preset need migrations generated from those entities (MikroORM CLI).
 */
export function checkLayout(orm: MikroORM): void {
  for (const key of Object.keys(ENTITY_NAMES) as EntityKey[]) {
    const meta = orm.getMetadata().find(ENTITY_NAMES[key]);
    const expected = DEFAULT_LAYOUT[key];
    const columns = meta?.props.filter((p) => p.persist !== false && p.fieldNames?.length).flatMap((p) => p.fieldNames).sort();
    const schema = meta?.schema && meta.schema !== "*" ? meta.schema : undefined;
    if (!meta || meta.tableName !== expected.table || schema !== undefined || columns!.join() !== [...expected.columns].sort().join()) {
      throw new AdapterError(
        ErrorCode.CONFIGURATION,
        `kit.migrate() creates the default tables, and ${ENTITY_NAMES[key]} differs from them (table "${meta?.tableName}"${schema ? ` in schema "${schema}"` : ""}, columns ${columns?.join(", ")}): ` +
          "generate migrations for your layout with the MikroORM CLI from entityList(createEntities({...}))",
      );
    }
  }
}
