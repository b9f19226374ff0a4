import { createHash } from "node:crypto";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { KnexPool, releaseConnection } from "../KnexPool";
import { lockBatchText, purgeBatchText, StatementFailure, type DatabaseFailure, type PurgeBatchParts, type LockBatchParts, type Dialect, type Executor, type Row, type Statement, type StatementResult } from "../Dialect";
import { classifyPgError, ReadTimeoutError } from "./classifyPgError";

type QueryConfig = { name?: string; text: string; values: unknown[] };
type PgResult = { rows: Row[]; rowCount: number | null };

/** The part of a `pg` client this uses. */
interface PgClient {
  query(config: QueryConfig, callback: (error: Error | null, result: PgResult) => void): void;
  connectionParameters?: { query_timeout?: number };
  _queryable?: boolean;
  _ending?: boolean;
  __knex__disposed?: unknown;
}

/** SQLSTATEs after which a named statement is not used again (the statement did not run). */
const STALE_PLAN = "0A000"; // "cached plan must not change result type": a migration changed a column's type
const NOT_PREPARED = new Set(["26000", "42P05"]); // unknown / duplicate statement: a pooler (PgBouncer) moved us between servers

/**
 * PostgreSQL through `pg` on MikroORM's knex pool. Every statement is a named prepared statement
 * (`$n` parameters, parsed and planned once per pooled connection); the text never holds a value,
 * so neither errors, `pg_stat_activity`, the server log nor a pg span can show one. A pooler that
 * refuses named statements turns naming off; values stay bound.
 */
export class PostgreSqlDialect implements Dialect {
  readonly name = "postgresql";
  readonly returning = true;
  readonly skipLocked = true;
  readonly forUpdate = " for update";
  private readonly pool: KnexPool<PgClient>;
  private readonly names = new Map<string, string>();
  private unnamed = false;

  constructor(connection: AbstractSqlConnection) {
    this.pool = new KnexPool(connection, true);
  }

  placeholder(index: number): string {
    return `$${index}`;
  }

  quote(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
  }

  purgeBatch(parts: PurgeBatchParts): string {
    return purgeBatchText(parts, this.skipLocked);
  }

  lockBatch(parts: LockBatchParts): Promise<string> {
    return Promise.resolve(lockBatchText(parts, " for update skip locked"));
  }

  bindValue(value: unknown): unknown {
    return value;
  }

  poolClosed(): boolean {
    return this.pool.closed();
  }

  classify(error: unknown, phase: DatabaseFailure["phase"]): DatabaseFailure {
    return classifyPgError(error, phase);
  }

  async execute(statement: Statement): Promise<StatementResult> {
    const client = this.pool.takeIdle() ?? (await this.acquire());
    let broken = false;
    try {
      return await this.run(client, statement);
    } catch (error) {
      broken = isBroken(error);
      throw error;
    } finally {
      releaseConnection(client, broken);
    }
  }

  async transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
    const client = this.pool.takeIdle() ?? (await this.acquire());
    const tx: Executor = { execute: (statement) => this.run(client, statement) };
    let broken = false;
    try {
      await tx.execute({ text: "begin", values: [] });
      const result = await work(tx);
      await tx.execute({ text: "commit", values: [] });
      return result;
    } catch (error) {
      broken = isBroken(error);
      if (!broken) await tx.execute({ text: "rollback", values: [] }).catch(() => (broken = true));
      throw error;
    } finally {
      releaseConnection(client, broken);
    }
  }

  private acquire() {
    return this.pool.acquire().then(undefined, failedToConnect);
  }

  /** One statement on `client`: named when it can be, under the client-side read timeout. */
  private async run(client: PgClient, statement: Statement): Promise<StatementResult> {
    const values = statement.values as unknown[];
    const onQuery = this.pool.onQuery();
    const text = onQuery ? onQuery(statement.text, values) : statement.text;
    // A rewritten text may differ per call (a trace comment): naming it would grow each connection's statement cache.
    const name = this.unnamed || onQuery || values.length === 0 ? undefined : this.nameOf(text);
    const logged = this.pool.logsQueries();
    const started = logged ? Date.now() : 0;
    try {
      const config = name ? { name, text, values } : { text, values };
      const result = await send(client, config);
      if (logged) this.pool.log(text, started, { affected: result.rowCount ?? 0, results: result.rows.length });
      return { rows: result.rows, affected: result.rowCount ?? 0 };
    } catch (error) {
      if (logged) this.pool.log(text, started, { failed: true });
      const code = (error as { code?: unknown } | null)?.code;
      if (name && code === STALE_PLAN) {
        this.names.set(text, `${name}x`); // prepare anew under a fresh name
        return this.run(client, statement);
      }
      if (name && typeof code === "string" && NOT_PREPARED.has(code)) {
        this.unnamed = true;
        return this.run(client, statement);
      }
      const brokenClient = client._queryable === false || client._ending === true || !!client.__knex__disposed;
      throw new StatementFailure(classifyPgError(error, "statement", brokenClient), error);
    }
  }

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (!name) this.names.set(text, (name = `nak_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`));
    return name;
  }
}

function failedToConnect(error: unknown): never {
  throw new StatementFailure(classifyPgError(error, "connect"), error);
}

/**
 * A client to drop rather than reuse: its connection broke, or the kit's read timeout gave up on it
 * while its statement may still be running. (After a server-side statement timeout it is fine.)
 */
function isBroken(error: unknown): boolean {
  if (!(error instanceof StatementFailure)) return false;
  return error.failure.kind === "connection_lost" || error.raw instanceof ReadTimeoutError;
}

/**
 * One statement through pg's callback API (its promise API adds two promises and a closure per
 * statement). pg's own `query_timeout` fails with a code-less Error; this timer, armed first with
 * the same delay, fires first and says "timeout" by its class. The client is then dropped: the
 * statement may still be running on it.
 */
function send(client: PgClient, config: QueryConfig): Promise<PgResult> {
  const ms = client.connectionParameters?.query_timeout;
  return new Promise<PgResult>((resolve, reject) => {
    const timer = ms ? setTimeout(() => reject(new ReadTimeoutError("the database did not answer in time")), ms) : undefined;
    try {
      client.query(config, (error, result) => {
        // pg calls back too once its own timer fires: ignored then, this promise is settled.
        if (timer !== undefined) clearTimeout(timer);
        if (error) reject(error);
        else resolve(result);
      });
    } catch (error) {
      if (timer !== undefined) clearTimeout(timer);
      reject(error);
    }
  });
}
