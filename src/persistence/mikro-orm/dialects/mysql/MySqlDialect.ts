import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { AdapterError, ErrorCode } from "../../../../errors/AdapterError";
import { CONNECTION_DEFAULTS } from "../../resolveDatabase";
import { KnexPool, releaseConnection } from "../KnexPool";
import { plainValue } from "../plainValue";
import {
  lockBatchText,
  StatementFailure,
  type BatchTarget,
  type DatabaseFailure,
  type Dialect,
  type Executor,
  type LockBatchParts,
  type PurgeBatchParts,
  type Row,
  type Statement,
  type StatementResult,
} from "../Dialect";
import { classifyMySqlError, ClientTimeoutError } from "./classifyMySqlError";
import { executePrepared, type PreparingConnection } from "./preparedStatements";
import { isMariaDbVersion } from "./sessionSetup";

/** What `execute` hands back: rows for a SELECT (or RETURNING), a header for a write. */
type Result = Row[] | { affectedRows?: number | bigint; insertId?: number | bigint | string };

/**
 * The part of a pooled connection this uses besides `prepare` (preparedStatements.ts): mysql2's and
 * the MariaDB connector's callback APIs both have `query` (plain text, for statements without
 * values) and `destroy`.
 */
export interface MySqlConnectionHandle {
  query(sql: string, values: unknown[], callback: (error: Error | null, result?: Result) => void): unknown;
  destroy(): void;
  __knex__disposed?: unknown;
}

/** The two Node connectors MikroORM drives MySQL-family servers with (knex's `driverName`). */
export type MySqlConnector = "mysql2" | "mariadb";

/** Key tuples deleted per statement in a purge: padded to this size, so one prepared statement serves every chunk. */
const PURGE_CHUNK = 64;

/**
 * MySQL and MariaDB on MikroORM's knex pool, through either connector. Every statement is a
 * server-side prepared statement (`?` placeholders, prepared once per pooled connection): no value
 * is ever part of the text, so neither an error, the processlist, the server's logs nor a span can
 * show one.
 *
 * What the two paths differ in is what each one is held to: the MariaDB connector uses MariaDB's
 * `DELETE ... RETURNING` to claim a row; the mysql2 path must also serve MySQL 8, which has no
 * RETURNING, so it claims rows with a locking read and a delete in one transaction until its first
 * connection shows a MariaDB server (then `DELETE ... RETURNING` as well). Neither server has
 * `UPDATE ... RETURNING`: updates read back in a transaction.
 */
export class MySqlDialect implements Dialect {
  readonly name: "mysql" | "mariadb";
  readonly returning = false;
  /**
   * `DELETE ... RETURNING`: MariaDB's, through either connector. On mysql2 it is known after the
   * first connection (the server may be MySQL 8, which has none): until then, and on MySQL, the
   * locking read and delete in a transaction.
   */
  deleteReturning: boolean;
  private serverKnown: boolean;
  readonly forUpdate = " for update";
  /** The purge decides per server (MariaDB 10.6+, MySQL 8), see `deleteBatch`. */
  readonly skipLocked = false;
  private readonly pool: KnexPool<MySqlConnectionHandle>;
  private serverSkipsLocked: Promise<boolean> | undefined;

  constructor(
    connection: AbstractSqlConnection,
    connector: MySqlConnector,
    /** Client-side limit on one statement (ms): a server that stopped answering still settles the call. */
    private readonly clientTimeoutMillis = CONNECTION_DEFAULTS.queryTimeoutMillis,
  ) {
    this.pool = new KnexPool(connection, true);
    this.name = connector === "mariadb" ? "mariadb" : "mysql";
    this.deleteReturning = connector === "mariadb";
    this.serverKnown = connector === "mariadb";
  }

  placeholder(): string {
    return "?";
  }

  quote(name: string): string {
    return `\`${name.replace(/`/g, "``")}\``;
  }

  bindValue(value: unknown): unknown {
    // mysql2 writes a Date in its `timezone` option's zone (UTC for the kit's own connections).
    // DATETIME holds years 1000 to 9999 only; outside them a driver may write a zero date instead
    // of failing, so such a date is refused here as PostgreSQL refuses its own out-of-range ones.
    if (value instanceof Date) {
      const year = value.getUTCFullYear();
      if (!(year >= 1000 && year <= 9999)) throw new AdapterError(ErrorCode.INVALID_INPUT, "a date is outside the range the database can store (years 1000 to 9999)");
      // The MariaDB connector writes a Date of a prepared statement in the process's local zone
      // whatever its `timezone` option says: outside UTC, DATETIME would hold local wall time and
      // read back (as UTC, the kit's reading) shifted. The UTC text is what the column must hold.
      if (this.name === "mariadb") return utcDateTimeText(value);
    }
    return typeof value === "boolean" ? (value ? 1 : 0) : plainValue(value, "json");
  }

  poolClosed(): boolean {
    return this.pool.closed();
  }

  classify(error: unknown, phase: DatabaseFailure["phase"]): DatabaseFailure {
    return classifyMySqlError(error, phase, this.name);
  }

  async execute(statement: Statement): Promise<StatementResult> {
    const connection = this.pool.takeIdle() ?? (await this.acquire());
    if (!this.serverKnown) this.learnServer(connection);
    let broken = false;
    try {
      return await this.run(connection, statement);
    } catch (error) {
      broken = isBroken(error);
      throw error;
    } finally {
      releaseConnection(connection, broken || !!connection.__knex__disposed);
    }
  }

  async transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
    const connection = this.pool.takeIdle() ?? (await this.acquire());
    const tx: Executor = { execute: (statement) => this.run(connection, statement) };
    let broken = false;
    try {
      await this.run(connection, { text: "start transaction", values: [] });
      const result = await work(tx);
      await this.run(connection, { text: "commit", values: [] });
      return result;
    } catch (error) {
      broken = isBroken(error);
      if (!broken) await this.run(connection, { text: "rollback", values: [] }).catch(() => (broken = true));
      throw error;
    } finally {
      releaseConnection(connection, broken);
    }
  }

  /**
   * One bounded batch as a single statement: MySQL-family servers take no LIMIT in an
   * `IN (subquery)`, but a single-table DELETE takes ORDER BY and LIMIT. It cannot skip locked
   * rows, so `deleteBatch` uses it only on a server without SKIP LOCKED.
   */
  purgeBatch({ table, column, before, limit }: PurgeBatchParts): string {
    return `delete from ${table} where ${column} <= ${before} order by ${column} limit ${limit}`;
  }

  /**
   * A bounded purge that never waits on a row in use: in one transaction, a locking read of at
   * most `limit` keys that skips rows other transactions hold (`SKIP LOCKED`, MariaDB 10.6+ and
   * MySQL 8), then deletes those keys in fixed-size chunks. A server without SKIP LOCKED gets
   * `purgeBatch`'s single statement.
   */
  async deleteBatch(target: BatchTarget, before: unknown, limit: number): Promise<number> {
    const max = Math.max(1, Math.floor(limit)); // the kit's own batch size, an integer before it reaches the text
    if (!(await this.skipsLocked())) {
      const text = this.purgeBatch({ table: target.table, keys: target.keys, column: target.column, before: "?", limit: String(max) });
      return (await this.execute({ text, values: [before], tables: target.tables })).affected;
    }
    return this.transaction(async (tx) => {
      const keys = target.keys.join(", ");
      const select = `select ${keys} from ${target.table} where ${target.column} <= ? order by ${target.column} limit ${max} for update skip locked`;
      const { rows } = await tx.execute({ text: select, values: [before], tables: target.tables });
      const names = target.keys.map(unquote);
      const tuple = target.keys.length === 1 ? "?" : `(${target.keys.map(() => "?").join(", ")})`;
      const head = target.keys.length === 1 ? keys : `(${keys})`;
      const remove = `delete from ${target.table} where ${head} in (${Array.from({ length: PURGE_CHUNK }, () => tuple).join(", ")})`;
      let deleted = 0;
      for (let i = 0; i < rows.length; i += PURGE_CHUNK) {
        const chunk = rows.slice(i, i + PURGE_CHUNK);
        // Pad with the chunk's last key: the text stays the same, so one prepared statement serves all.
        while (chunk.length < PURGE_CHUNK) chunk.push(chunk[chunk.length - 1]!);
        const values = chunk.flatMap((row) => names.map((name) => row[name]));
        deleted += (await tx.execute({ text: remove, values, tables: target.tables })).affected;
      }
      return deleted;
    });
  }

  /** A rewrite batch's read: skips rows others hold where the server can (MariaDB 10.6+, MySQL 8), else waits on them. */
  async lockBatch(parts: LockBatchParts): Promise<string> {
    return lockBatchText(parts, (await this.skipsLocked()) ? " for update skip locked" : this.forUpdate);
  }

  /** mysql2 on a MariaDB server: the handshake's version says so (mysql2 keeps it on the connection). */
  private learnServer(connection: MySqlConnectionHandle): void {
    const version = (connection as { _handshakePacket?: { serverVersion?: unknown } })._handshakePacket?.serverVersion;
    if (typeof version !== "string") return;
    this.serverKnown = true;
    this.deleteReturning = isMariaDbVersion(version);
  }

  /** Whether the server has `SKIP LOCKED` (MariaDB 10.6+, MySQL 8.0.1+), asked once. */
  private skipsLocked(): Promise<boolean> {
    this.serverSkipsLocked ??= this.execute({ text: "select version() as v", values: [] }).then(
      ({ rows }) => hasSkipLocked(String(rows[0]?.v ?? "")),
      (error) => {
        this.serverSkipsLocked = undefined;
        throw error;
      },
    );
    return this.serverSkipsLocked;
  }

  private async acquire() {
    try {
      return await this.pool.acquire();
    } catch (error) {
      throw new StatementFailure(classifyMySqlError(error, "connect", this.name), error);
    }
  }

  /**
   * One prepared statement on `connection`, under the client-side timeout. A statement without
   * values (`start transaction`, `commit`, `select version()`) goes as plain text: there is nothing
   * to bind, and MySQL refuses to prepare transaction control. Every other statement runs through
   * its prepared handle (preparedStatements.ts: no tracer sees the values, no per-call copies).
   */
  private run(connection: MySqlConnectionHandle, statement: Statement): Promise<StatementResult> {
    const started = Date.now();
    // The app's `onQuery` hook sees (and may rewrite) every statement, as MikroORM's own would.
    const onQuery = this.pool.onQuery();
    const text = onQuery ? onQuery(statement.text, statement.values as unknown[]) : statement.text;
    return new Promise<StatementResult>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        // The statement may still run on this connection: it is dropped, never reused.
        connection.__knex__disposed = "dropped by nextauth-adapter-kit after a client-side timeout";
        try {
          connection.destroy();
        } catch {
          // already gone
        }
        this.pool.log(text, started, { failed: true });
        reject(new StatementFailure(classifyMySqlError(new ClientTimeoutError("the database did not answer in time"), "statement", this.name), undefined));
      }, this.clientTimeoutMillis);
      try {
        const values = statement.values as unknown[];
        const answered = (error: Error | null, result?: Result) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (error) {
            this.pool.log(text, started, { failed: true });
            reject(new StatementFailure(classifyMySqlError(error, "statement", this.name), error));
            return;
          }
          const out = toResult(result);
          // Only when MikroORM logs queries: the outcome object is not built per statement otherwise.
          if (this.pool.logsQueries()) this.pool.log(text, started, Array.isArray(result) ? { results: out.rows.length } : { affected: out.affected });
          resolve(out);
        };
        if (values.length === 0) connection.query(text, values, answered);
        else executePrepared(connection as unknown as PreparingConnection, text, values, answered as never);
      } catch (error) {
        // A connector that throws synchronously (a closed connection) instead of calling back.
        settled = true;
        clearTimeout(timer);
        reject(new StatementFailure(classifyMySqlError(error, "statement", this.name), error));
      }
    });
  }
}

function toResult(result: Result | undefined): StatementResult {
  if (Array.isArray(result)) return { rows: result, affected: result.length };
  return { rows: [], affected: Number(result?.affectedRows ?? 0), ...(result?.insertId != null && { insertId: result.insertId }) };
}

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC: a DATETIME(3) literal (the year is 1000-9999, checked before). */
function utcDateTimeText(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

function isBroken(error: unknown): boolean {
  return error instanceof StatementFailure && (error.failure.kind === "connection_lost" || error.failure.kind === "timeout" || error.failure.kind === "pool_closed");
}

function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/``/g, "`");
}

/** `SKIP LOCKED`: MariaDB from 10.6, MySQL from 8.0.1. */
export function hasSkipLocked(version: string): boolean {
  const [major = 0, minor = 0] = version.split(/[.-]/).map(Number);
  return isMariaDbVersion(version) ? major > 10 || (major === 10 && minor >= 6) : major >= 8;
}
