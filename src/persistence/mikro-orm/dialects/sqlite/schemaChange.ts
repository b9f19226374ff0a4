import { uniqueIndexOf } from "../../schemaStatements";

/** The part of a better-sqlite3 database handle a schema change uses. */
export interface SchemaHandle {
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(text: string): { all(...values: unknown[]): Array<Record<string, unknown>> };
  exec(text: string): unknown;
}

/**
 * Runs the statements in one transaction: a failure halfway (a duplicate under a new unique index)
 * leaves the schema as it was. Foreign keys are off while they run, since SQLite ignores that pragma
 * inside a transaction and a rebuilt table's DROP would otherwise delete the rows that reference it;
 * after a rebuild they are checked before the commit instead. A statement's failure is thrown with
 * `constraint` set when that statement made a unique index.
 */
export function changeSchemaOn(handle: SchemaHandle, { statements, rebuilds }: { statements: string[]; rebuilds: boolean }): void {
  const enforced = handle.prepare("pragma foreign_keys").all()[0]?.foreign_keys === 1;
  handle.exec("pragma foreign_keys = off");
  try {
    handle.exec("begin immediate");
    for (const statement of statements) {
      try {
        handle.exec(statement);
      } catch (error) {
        const index = uniqueIndexOf(statement);
        if (index && error && typeof error === "object") Object.assign(error, { constraint: index });
        throw error;
      }
    }
    const orphan = rebuilds ? handle.prepare("pragma foreign_key_check").all()[0] : undefined;
    if (orphan) throw Object.assign(new Error(`rows of ${String(orphan.table)} reference missing ${String(orphan.parent)} rows`), { code: "SQLITE_CONSTRAINT_FOREIGNKEY" });
    handle.exec("commit");
  } catch (error) {
    if (handle.open && handle.inTransaction) handle.exec("rollback");
    throw error;
  } finally {
    if (enforced && handle.open) handle.exec("pragma foreign_keys = on");
  }
}
