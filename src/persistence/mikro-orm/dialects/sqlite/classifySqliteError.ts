import { isAcquireTimeout, PoolClosedError } from "../KnexPool";
import type { DatabaseFailure, FailureKind } from "../Dialect";

/** better-sqlite3's extended result codes (`SqliteError.code`) → kind; the primary code decides the rest. */
const BY_CODE: Record<string, FailureKind> = {
  SQLITE_CONSTRAINT_UNIQUE: "unique_violation",
  SQLITE_CONSTRAINT_PRIMARYKEY: "unique_violation",
  SQLITE_CONSTRAINT_FOREIGNKEY: "foreign_key_violation",
  SQLITE_CONSTRAINT_NOTNULL: "not_null_violation",
  SQLITE_TOOBIG: "invalid_value",
  SQLITE_MISMATCH: "invalid_value",
  SQLITE_RANGE: "invalid_value",
  SQLITE_BUSY: "timeout", // the busy timeout passed while another connection held a lock
  SQLITE_LOCKED: "timeout",
  SQLITE_CANTOPEN: "connection_lost",
  SQLITE_IOERR: "connection_lost",
  SQLITE_NOTADB: "connection_lost",
};

/**
 * Classifies a better-sqlite3, knex pool or MikroORM error by result code and class.
 * `closedHandle`: the database handle is no longer open (better-sqlite3 throws a code-less TypeError).
 * `missing`: the table (or a column of it) the caller found missing after a generic SQLITE_ERROR.
 */
export function classifySqliteError(
  error: unknown,
  phase: DatabaseFailure["phase"],
  state: { closedHandle?: boolean; missing?: { table: string; column?: string } } = {},
): DatabaseFailure {
  const code = (error as { code?: unknown } | null)?.code;
  const base = { dialect: "sqlite", phase } as const;
  if (typeof code === "string" && code.startsWith("SQLITE_")) {
    const { missing } = state;
    if (missing?.column) return { ...base, kind: "undefined_column", errno: code, table: missing.table, column: missing.column };
    if (missing) return { ...base, kind: "undefined_table", errno: code, table: missing.table };
    const kind = BY_CODE[code] ?? BY_CODE[code.replace(/^(SQLITE_[A-Z]+)_.*$/, "$1")] ?? "other";
    return { ...base, kind, errno: code };
  }
  if (error instanceof PoolClosedError) return { ...base, kind: "pool_closed" };
  if (isAcquireTimeout(error)) return { ...base, kind: "timeout" };
  if (phase === "connect" || state.closedHandle) return { ...base, kind: "connection_lost" };
  return { ...base, kind: "other" };
}
