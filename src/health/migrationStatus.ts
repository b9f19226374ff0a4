import type { MikroORM } from "@mikro-orm/core";
import { StatementFailure, type Dialect } from "../persistence/mikro-orm/dialects/Dialect";
import { checkLayout, KIT_MIGRATIONS_TABLE, kitMigrations, migrationPlatform } from "../persistence/mikro-orm/Migrations";

/** The kit's shipped migrations on one database: which ran, which have not. */
export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/**
 * The names of the migrations the kit ships for this ORM's database. Throws CONFIGURATION when
 * they do not apply: entities that differ from the default layout, a database without shipped
 * migrations, or no `@mikro-orm/migrations` installed.
 */
export function shippedMigrations(orm: MikroORM): string[] {
  checkLayout(orm);
  return kitMigrations(migrationPlatform(orm)).map((m) => m.name);
}

/**
 * Reads the kit's migrations table (read only: MikroORM's Migrator would create the table just to
 * look). A database without that table has applied none.
 */
export async function appliedMigrations(dialect: Dialect): Promise<string[]> {
  const text = `select ${dialect.quote("name")} as name from ${dialect.quote(KIT_MIGRATIONS_TABLE)}`;
  try {
    const { rows } = await dialect.execute({ text, values: [], tables: [KIT_MIGRATIONS_TABLE] });
    return rows.map((row) => String(row.name).replace(/\.[jt]s$/, ""));
  } catch (error) {
    if (error instanceof StatementFailure && error.failure.kind === "undefined_table") return [];
    throw error;
  }
}

/** Shipped migrations split into applied and pending, oldest first. */
export function splitMigrations(shipped: readonly string[], applied: readonly string[]): MigrationStatus {
  const done = new Set(applied);
  return { applied: shipped.filter((name) => done.has(name)), pending: shipped.filter((name) => !done.has(name)) };
}
