import type { MikroORM } from "@mikro-orm/core";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { AdapterError, ErrorCode } from "../../../errors/AdapterError";
import type { DatabaseFailure, Dialect } from "./Dialect";
import { classifyMySqlError, isMySqlError } from "./mysql/classifyMySqlError";
import { MySqlDialect } from "./mysql/MySqlDialect";
import { classifyPgError } from "./postgresql/classifyPgError";
import { classifySqliteError } from "./sqlite/classifySqliteError";
import { PostgreSqlDialect } from "./postgresql/PostgreSqlDialect";
import { SqliteDialect } from "./sqlite/SqliteDialect";

/** Dialects by the knex client's driver (the Node package that talks to the database). */
const DIALECTS: Record<string, (connection: AbstractSqlConnection) => Dialect> = {
  pg: (connection) => new PostgreSqlDialect(connection),
  "better-sqlite3": (connection) => new SqliteDialect(connection),
  mysql2: (connection) => new MySqlDialect(connection, "mysql2"),
  mariadb: (connection) => new MySqlDialect(connection, "mariadb"),
};

/** The dialect for an ORM's (write) connection. */
export function dialectFor(orm: MikroORM): Dialect {
  return dialectOf(orm.em.getConnection() as AbstractSqlConnection);
}

/** The dialect for one connection (the primary's, or a read replica's). */
export function dialectOf(connection: AbstractSqlConnection): Dialect {
  const client = connection.getKnex().client as { dialect?: string; driverName?: string };
  const create = DIALECTS[client.driverName ?? ""];
  if (!create) {
    throw new AdapterError(
      ErrorCode.CONFIGURATION,
      `the kit has no SQL dialect for the "${client.driverName}" driver: use PostgreSQL, MySQL, MariaDB or SQLite`,
    );
  }
  return create(connection);
}

/**
 * Classifies an error that did not pass through a dialect (raised while the ORM initialised or
 * created the schema), by its code: SQLite's result codes start with SQLITE_, MySQL's errors carry a
 * numeric errno, the rest is pg's.
 */
export function classifyOutside(error: unknown, phase: DatabaseFailure["phase"]): DatabaseFailure {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("SQLITE_")) return classifySqliteError(error, phase);
  if (isMySqlError(error)) return classifyMySqlError(error, phase);
  return classifyPgError(error, phase);
}
