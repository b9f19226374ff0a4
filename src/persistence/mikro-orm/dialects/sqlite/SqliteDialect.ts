import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { KnexPool, releaseConnection } from "../KnexPool";
import { plainValue } from "../plainValue";
import { lockBatchText, purgeBatchText, StatementFailure, type DatabaseFailure, type PurgeBatchParts, type LockBatchParts, type Dialect, type Executor, type Row, type Statement, type StatementResult } from "../Dialect";
import { classifySqliteError } from "./classifySqliteError";
import { schemaChangeFailure, schemaStatements } from "../../schemaStatements";
import { changeSchemaOn, type SchemaHandle } from "./schemaChange";

/** The part of a better-sqlite3 statement and database handle this uses. */
interface SqliteStatement {
  readonly reader: boolean;
  all(...values: unknown[]): Row[];
  run(...values: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}
interface SqliteHandle extends SchemaHandle {
  prepare(text: string): SqliteStatement;
}

/**
 * SQLite through better-sqlite3 on MikroORM's knex pool (one handle). Statements are prepared once
 * per handle and run with bound `?` values; dates bind as epoch milliseconds and booleans as 0/1,
 * as MikroORM stores them.
 */
export class SqliteDialect implements Dialect {
  readonly name = "sqlite";
  readonly returning = true; // SQLite 3.35+; better-sqlite3 bundles a newer one
  readonly skipLocked = false; // one writer at a time: nothing to skip
  readonly forUpdate = ""; // `begin immediate` already holds the database's write lock
  private readonly pool: KnexPool<SqliteHandle>;
  private readonly prepared = new WeakMap<SqliteHandle, Map<string, SqliteStatement>>();
  /** The entities' columns per table (`expectColumns`). */
  private readonly expected = new Map<string, readonly string[]>();

  constructor(connection: AbstractSqlConnection) {
    this.pool = new KnexPool(connection);
  }

  placeholder(): string {
    return "?";
  }

  quote(name: string): string {
    return `\`${name.replace(/`/g, "``")}\``;
  }

  purgeBatch(parts: PurgeBatchParts): string {
    return purgeBatchText(parts, this.skipLocked);
  }

  lockBatch(parts: LockBatchParts): Promise<string> {
    return Promise.resolve(lockBatchText(parts, this.forUpdate));
  }

  bindValue(value: unknown): unknown {
    if (value === undefined) return null; // better-sqlite3 refuses undefined
    if (value instanceof Date) return value.getTime();
    if (typeof value === "boolean") return value ? 1 : 0;
    return plainValue(value, "json");
  }

  expectColumns(table: string, columns: readonly string[]): void {
    this.expected.set(table, columns);
  }

  poolClosed(): boolean {
    return this.pool.closed();
  }

  classify(error: unknown, phase: DatabaseFailure["phase"]): DatabaseFailure {
    return classifySqliteError(error, phase);
  }

  async execute(statement: Statement): Promise<StatementResult> {
    const handle = await this.acquire();
    try {
      return this.run(handle, statement);
    } finally {
      releaseConnection(handle, !handle.open);
    }
  }

  async transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
    const handle = await this.acquire();
    const tx: Executor = { execute: async (statement) => this.run(handle, statement) };
    try {
      this.run(handle, { text: "begin immediate", values: [] });
      const result = await work(tx);
      this.run(handle, { text: "commit", values: [] });
      return result;
    } catch (error) {
      if (handle.open) this.run(handle, { text: "rollback", values: [] });
      throw error;
    } finally {
      releaseConnection(handle, !handle.open);
    }
  }

  /** The whole diff in one transaction (`changeSchemaOn`). */
  async changeSchema(sql: string): Promise<void> {
    const diff = schemaStatements(sql);
    if (diff.statements.length === 0) return;
    const handle = await this.acquire();
    const started = Date.now();
    const text = diff.statements.join("\n");
    try {
      changeSchemaOn(handle, diff);
      this.pool.log(text, started, {});
    } catch (error) {
      this.pool.log(text, started, { failed: true });
      const failure = classifySqliteError(error, "statement", { closedHandle: !handle.open });
      const index = (error as { constraint?: unknown } | null)?.constraint;
      throw schemaChangeFailure(failure, typeof index === "string" ? index : undefined, error);
    } finally {
      releaseConnection(handle, !handle.open);
    }
  }

  private async acquire() {
    try {
      return await this.pool.acquire();
    } catch (error) {
      throw new StatementFailure(classifySqliteError(error, "connect"), error);
    }
  }

  private run(handle: SqliteHandle, statement: Statement): StatementResult {
    const started = Date.now();
    const onQuery = this.pool.onQuery();
    const values = statement.values.map((value) => this.bindValue(value));
    const text = onQuery ? onQuery(statement.text, values) : statement.text;
    try {
      // A rewritten text may differ per call: prepare it without caching.
      const prepared = onQuery ? handle.prepare(text) : this.prepare(handle, text);
      if (prepared.reader) {
        const rows = prepared.all(...values);
        this.pool.log(text, started, { results: rows.length });
        return { rows, affected: rows.length };
      }
      const { changes, lastInsertRowid } = prepared.run(...values);
      this.pool.log(text, started, { affected: changes });
      return { rows: [], affected: changes, insertId: lastInsertRowid };
    } catch (error) {
      this.pool.log(text, started, { failed: true });
      const state = { closedHandle: !handle.open, missing: handle.open ? this.missing(handle, error, statement) : undefined };
      throw new StatementFailure(classifySqliteError(error, "statement", state), error);
    }
  }

  private prepare(handle: SqliteHandle, text: string): SqliteStatement {
    let cache = this.prepared.get(handle);
    if (!cache) this.prepared.set(handle, (cache = new Map()));
    let statement = cache.get(text);
    if (!statement) cache.set(text, (statement = handle.prepare(text)));
    return statement;
  }

  /**
   * SQLite reports a missing table or column as a generic SQLITE_ERROR: look the statement's tables
   * up, then their columns against the entities', instead of reading the message.
   */
  private missing(handle: SqliteHandle, error: unknown, statement: Statement): { table: string; column?: string } | undefined {
    if ((error as { code?: unknown } | null)?.code !== "SQLITE_ERROR" || !statement.tables) return undefined;
    const exists = this.prepare(handle, "select 1 from sqlite_master where type in ('table', 'view') and name = ?");
    const table = statement.tables.find((name) => exists.all(name).length === 0);
    if (table) return { table };
    const columnsOf = this.prepare(handle, "select name from pragma_table_info(?)");
    for (const name of statement.tables) {
      const present = new Set(columnsOf.all(name).map((row) => row.name));
      const column = this.expected.get(name)?.find((c) => !present.has(c));
      if (column) return { table: name, column };
    }
    return undefined;
  }
}
