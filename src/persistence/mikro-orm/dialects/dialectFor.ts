import type { MikroORM } from "@mikro-orm/core";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { AdapterError, ErrorCode } from "../../../errors/AdapterError";
import type { DatabaseFailure, Dialect } from "./Dialect";
import { classifyPgError } from "./postgresql/classifyPgError";
import { classifySqliteError } from "./sqlite/classifySqliteError";
import { PostgreSqlDialect } from "./postgresql/PostgreSqlDialect";
import { SqliteDialect } from "./sqlite/SqliteDialect";

/** Dialects by the knex client's driver (the Node package that talks to the database). */
const DIALECTS: Record<string, new (connection: AbstractSqlConnection) => Dialect> = {
  pg: PostgreSqlDialect,
  "better-sqlite3": SqliteDialect,
};

/** The dialect for an ORM's (write) connection. */
export function dialectFor(orm: MikroORM): Dialect {
  const connection = orm.em.getConnection() as AbstractSqlConnection;
  const client = connection.getKnex().client as { dialect?: string; driverName?: string };
  const Dialect = DIALECTS[client.driverName ?? ""];
  if (!Dialect) {
    throw new AdapterError(ErrorCode.CONFIGURATION, `the kit has no SQL dialect for the "${client.driverName}" driver: use PostgreSQL or SQLite`);
  }
  return new Dialect(connection);
}

/**
 * Classifies an error that did not pass through a dialect (raised while the ORM initialised or
 * created the schema), by its code: SQLite's result codes start with SQLITE_, the rest is pg's.
 */
export function classifyOutside(error: unknown, phase: DatabaseFailure["phase"]): DatabaseFailure {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? classifySqliteError(error, phase) : classifyPgError(error, phase);
}
