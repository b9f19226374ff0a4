import { StatementFailure, type DatabaseFailure } from "./dialects/Dialect";

/** The lines MikroORM puts around a SQLite table rebuild. */
const FOREIGN_KEYS_PRAGMA = /^pragma foreign_keys = (on|off);?$/i;
/**
 * The unique index a statement of MikroORM's diff makes: `create unique index "x"` (PostgreSQL,
 * SQLite) or `alter table ... add unique `x`` (MySQL). Read from the kit's own SQL, so that a
 * failure can name the key without the driver's message (which can quote the duplicate rows).
 */
const UNIQUE_INDEX = /^(?:create unique index|alter table \S+ add unique) [`"]?([^`"\s(]+)[`"]?/i;

/**
 * A schema diff's statements (MikroORM writes one per line, each ending in `;`), without SQLite's
 * foreign key pragmas, and whether it had them (it rebuilds a table).
 */
export function schemaStatements(sql: string): { statements: string[]; rebuilds: boolean } {
  const statements: string[] = [];
  let rebuilds = false;
  let current = "";
  for (const line of sql.split("\n")) {
    if (FOREIGN_KEYS_PRAGMA.test(line.trim())) {
      rebuilds = true;
      continue;
    }
    current += (current ? "\n" : "") + line;
    if (line.trimEnd().endsWith(";") && current.trim() !== "") {
      statements.push(current.trim());
      current = "";
    }
  }
  if (current.trim() !== "") statements.push(current.trim());
  return { statements, rebuilds };
}

/** The unique index `statement` makes, if it makes one. */
export function uniqueIndexOf(statement: string): string | undefined {
  return UNIQUE_INDEX.exec(statement)?.[1];
}

/** A schema change's failure; a duplicate names the unique index of the statement it stopped. */
export function schemaChangeFailure(failure: DatabaseFailure, index: string | undefined, raw: unknown): StatementFailure {
  return new StatementFailure(failure.kind === "unique_violation" && index ? { ...failure, constraint: index } : failure, raw);
}
