/**
 * The seam between the kit's stores and one database's SQL. Everything that knows a dialect —
 * statement text and placeholders, bound execution on a pooled connection, row quirks, what the
 * dialect supports (RETURNING, SKIP LOCKED) and how its errors read — lives behind this interface,
 * one folder per dialect. A dialect never puts a value into SQL text: values travel as parameters.
 */

/** A raw row as the driver returns it (column names as keys). */
export type Row = Record<string, unknown>;

/** One statement: text with the dialect's placeholders, and its values in order. */
export interface Statement {
  readonly text: string;
  readonly values: readonly unknown[];
  /** The tables it touches (unquoted names), so a failure can say which one is missing. */
  readonly tables?: readonly string[];
}

/** What a statement returned: its rows (SELECT, RETURNING), rows changed, and a generated key. */
export interface StatementResult {
  readonly rows: Row[];
  readonly affected: number;
  /** The key the database generated for an INSERT without RETURNING (MySQL's insertId, SQLite's rowid). */
  readonly insertId?: number | bigint | string;
}

/** Runs statements. Inside `transaction` every statement runs on the same connection. */
export interface Executor {
  execute(statement: Statement): Promise<StatementResult>;
}

/**
 * What went wrong, in the kit's words: a kind, and the SQLSTATE/errno and schema names the driver
 * reported. Never the driver's message, the SQL or a parameter (they may hold tokens).
 */
export type FailureKind =
  | "unique_violation"
  | "foreign_key_violation"
  | "not_null_violation"
  /** A value that does not fit its column: too long, out of range, malformed, a NUL byte. */
  | "invalid_value"
  | "undefined_table"
  /** A column the entities name is not in the table: entities and tables do not match. */
  | "undefined_column"
  | "missing_database"
  | "authentication"
  /** The database did not answer in time (pool acquire, statement timeout, client read timeout). */
  | "timeout"
  /** The connection broke (server shutdown, reset, refused): that client is dropped. */
  | "connection_lost"
  /** The ORM's pool itself was closed. */
  | "pool_closed"
  | "other";

export interface DatabaseFailure {
  readonly kind: FailureKind;
  readonly dialect: string;
  /** Where it failed: before the statement reached the server (safe to retry) or while it ran. */
  readonly phase: "connect" | "statement";
  readonly sqlState?: string;
  readonly errno?: string | number;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;
  /** Only for `missing_database`: the database name (never host, user or password). */
  readonly database?: string;
}

/**
 * Thrown by a dialect: the sanitised failure, and the driver's own error kept off every
 * enumerable path (it may hold SQL and values) for the opt-in `rawDatabaseErrors` setting.
 */
export class StatementFailure extends Error {
  override readonly name = "StatementFailure";
  declare readonly raw: unknown;

  constructor(readonly failure: DatabaseFailure, raw: unknown) {
    super(`${failure.dialect} ${failure.kind}`);
    Object.defineProperty(this, "raw", { value: raw, enumerable: false });
  }
}

/** What a dialect's own purge needs: quoted table, key columns and the date column; unquoted table names for errors. */
export interface BatchTarget {
  readonly table: string;
  readonly keys: readonly string[];
  readonly column: string;
  readonly tables: readonly string[];
}

export interface Dialect extends Executor {
  /** "postgresql", "sqlite", ... */
  readonly name: string;
  /** `INSERT/UPDATE/DELETE ... RETURNING` (PostgreSQL, SQLite); without it the kit reads back in a transaction. */
  readonly returning: boolean;
  /** `DELETE ... RETURNING` only (MariaDB has it, but no `UPDATE ... RETURNING`); implied by `returning`. */
  readonly deleteReturning?: boolean;
  /** What locks the rows a select reads until the transaction ends (" for update"; "" where the transaction already holds the write lock). */
  readonly forUpdate: string;
  /** `FOR UPDATE SKIP LOCKED` in a subquery (PostgreSQL; MySQL 8 outside subqueries only). */
  readonly skipLocked: boolean;
  /** The placeholder of the `index`th (1-based) value: `$1` on PostgreSQL, `?` on SQLite and MySQL. */
  placeholder(index: number): string;
  /** A quoted identifier. */
  quote(name: string): string;
  /**
   * The statement deleting at most `limit` rows whose `column` is at or before `before` (both given
   * as placeholders), keyed by the primary key `keys`: `kit.purgeExpired()`'s batch. Dialects differ
   * (MySQL allows no LIMIT in an IN subquery); `purgeBatchText` is the common form.
   */
  purgeBatch(parts: PurgeBatchParts): string;
  /**
   * The statement reading the next `limit` rows after the cursor `after` (keyset on the primary
   * key `keys`, ascending), locked until the transaction ends and skipping rows another transaction
   * holds where the server can: the read of a rewrite batch (`kit.reencryptAccountTokens()`,
   * `kit.hashSessionTokens()`). Asynchronous, so a dialect may ask its server once what it supports
   * (MySQL 8 and MariaDB 10.6 skip locked rows, older servers only lock). `lockBatchText` is the
   * common form. Called before the batch's transaction opens.
   */
  lockBatch(parts: LockBatchParts): Promise<string>;
  /** Runs `work` on one connection inside BEGIN/COMMIT (ROLLBACK on failure). */
  transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T>;
  /** A value as the driver binds it (SQLite: dates as numbers, booleans as 0/1). */
  bindValue(value: unknown): unknown;
  /** Classifies any error the driver or the ORM raised on this dialect's connection (by code, never by message). */
  classify(error: unknown, phase: DatabaseFailure["phase"]): DatabaseFailure;
  /** True when the ORM's pool was closed (by `orm.close()`), so no statement can run until it reconnects. */
  poolClosed(): boolean;
  /**
   * Deletes at most `limit` rows whose `column` is at or before `before`, for a dialect whose SQL
   * cannot do it in the one statement EntityTable writes (MySQL and MariaDB take no LIMIT in an
   * `IN (subquery)`). Returns how many.
   */
  deleteBatch?(target: BatchTarget, before: unknown, limit: number): Promise<number>;
  /**
   * The columns the entities name in `table` (unquoted), told once per table, for a dialect whose
   * server does not say which column is missing (SQLite's generic SQLITE_ERROR).
   */
  expectColumns?(table: string, columns: readonly string[]): void;
  /**
   * Applies a schema diff (MikroORM's SQL) as one transaction, for a dialect that does it itself
   * (SQLite: one statement at a time through its driver otherwise).
   */
  changeSchema?(sql: string): Promise<void>;
}

/** Quoted names and placeholders of a purge batch. */
export interface PurgeBatchParts {
  readonly table: string;
  readonly keys: readonly string[];
  readonly column: string;
  readonly before: string;
  readonly limit: string;
}

/**
 * Quoted names and the placeholder of a rewrite batch's read; `after` is absent on the first batch.
 * `limit` is the kit's own batch size, a positive safe integer checked before it reaches the text
 * (MySQL-family prepared statements take no bound LIMIT from every driver).
 */
export interface LockBatchParts {
  readonly table: string;
  /** The primary key's columns, in its order. */
  readonly keys: readonly string[];
  readonly columns: readonly string[];
  /** One placeholder per key column. */
  readonly after?: readonly string[];
  /** Instead of a cursor: only the rows whose (one-column) key does not start with this (a placeholder of a LIKE pattern). */
  readonly notLike?: string;
  readonly limit: number;
}

/**
 * `select keys, columns ... where (keys) > (after) order by keys limit n`, then the dialect's lock
 * (`forUpdate`, `skip locked` where it has it). Row values compare column by column on every
 * database the kit runs on.
 */
export function lockBatchText({ table, keys, columns, after, notLike, limit }: LockBatchParts, lock: string): string {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("lockBatch: limit must be a positive integer");
  const list = [...keys, ...columns.filter((c) => !keys.includes(c))].join(", ");
  const tuple = (items: readonly string[]) => (items.length === 1 ? items[0]! : `(${items.join(", ")})`);
  const where = after ? ` where ${tuple(keys)} > ${tuple(after)}` : notLike ? ` where ${keys[0]} not like ${notLike}` : "";
  return `select ${list} from ${table}${where} order by ${keys.join(", ")} limit ${limit}${lock}`;
}

/** `delete ... where (keys) in (select keys ... limit n)`, with `for update skip locked` where the dialect has it. */
export function purgeBatchText({ table, keys, column, before, limit }: PurgeBatchParts, skipLocked: boolean): string {
  const k = keys.join(", ");
  return `delete from ${table} where (${k}) in (select ${k} from ${table} where ${column} <= ${before} limit ${limit}${skipLocked ? " for update skip locked" : ""})`;
}

/** Builds statement text while collecting its values, so the text only ever holds placeholders. */
export class Binder {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}

  /** Adds `value` and returns its placeholder. */
  bind(value: unknown): string {
    this.values.push(this.dialect.bindValue(value));
    return this.dialect.placeholder(this.values.length);
  }
}
