import { createHash } from "node:crypto";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { plainValue } from "../plainValue";
import { KnexPool, releaseConnection } from "../KnexPool";
import { lockBatchText, purgeBatchText, StatementFailure, type DatabaseFailure, type PurgeBatchParts, type LockBatchParts, type Dialect, type Executor, type Row, type Statement, type StatementResult } from "../Dialect";
import { classifyPgError, ReadTimeoutError } from "./classifyPgError";

type QueryConfig = { name?: string; text: string; values: unknown[] };
type PgResult = { rows: Row[]; rowCount: number | null };
type PgCallback = (error: Error | null, result: PgResult) => void;
/** pg's `Query` (a "submittable"), as its public constructor `new Query(text, values, callback)` makes it. */
type PgQuery = { name?: string };
type PgQueryClass = new (text: string, values: unknown[], callback: PgCallback) => PgQuery;

/** The part of a `pg` client this uses. */
interface PgClient {
  query(config: QueryConfig, callback: PgCallback): void;
  query(query: PgQuery): void;
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
    return plainValue(value, "elements");
  }

  poolClosed(): boolean {
    return this.pool.closed();
  }

  classify(error: unknown, phase: DatabaseFailure["phase"]): DatabaseFailure {
    return classifyPgError(error, phase);
  }

  /**
   * Not an async function: the caller's promise is the only one on the hot path. It settles from
   * pg's callback after the connection went back; a caller that found no connection idle has its
   * statement started by the release that frees one (see `HeldConnections.wait`).
   */
  execute(statement: Statement): Promise<StatementResult> {
    return new Promise<StatementResult>((resolve, reject) => {
      const client = this.pool.takeIdle();
      if (client !== undefined) this.start(client, statement, true, resolve, reject);
      else this.pool.wait((acquired) => this.start(acquired, statement, true, resolve, reject), (error) => reject(connectFailure(error)));
    });
  }

  async transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
    const client = this.pool.takeIdle() ?? (await this.acquire());
    const tx: Executor = { execute: (statement) => this.run(client, statement, false) };
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
    return this.pool.acquire().then(undefined, (error: unknown) => {
      throw connectFailure(error);
    });
  }

  private run(client: PgClient, statement: Statement, release: boolean): Promise<StatementResult> {
    return new Promise<StatementResult>((resolve, reject) => this.start(client, statement, release, resolve, reject));
  }

  /**
   * One statement on `client`: named when it can be, under the client-side read timeout; settles
   * through `resolve`/`reject` and never throws. With `release`, the connection goes back to its
   * owner once the statement is done (dropped when it broke), before the result is handed on.
   */
  private start(
    client: PgClient,
    statement: Statement,
    release: boolean,
    resolve: (result: StatementResult | Promise<StatementResult>) => void,
    reject: (error: unknown) => void,
  ): void {
    const values = statement.values as unknown[];
    let text: string;
    let name: string | undefined;
    let logged: boolean;
    try {
      const onQuery = this.pool.onQuery();
      text = onQuery ? onQuery(statement.text, values) : statement.text;
      // A rewritten text may differ per call (a trace comment): naming it would grow each connection's statement cache.
      name = this.unnamed || onQuery || values.length === 0 ? undefined : this.nameOf(text);
      logged = this.pool.logsQueries();
    } catch (error) {
      // The app's `onQuery` hook or logger threw: nothing was sent. Released a microtask later,
      // not from inside a release that handed this connection over (see `failed`).
      if (release) queueMicrotask(() => releaseConnection(client, false));
      reject(error);
      return;
    }
    const started = logged ? Date.now() : 0;
    send(client, text, values, name, (error, result) => {
      try {
        if (error !== null) throw error;
        // The query log first: an app's logger that throws fails the statement, as it did inside the try.
        if (logged) this.pool.log(text, started, { affected: result!.rowCount ?? 0, results: result!.rows.length });
      } catch (failure) {
        resolve(this.failed(client, statement, text, name, failure, logged, started, release));
        return;
      }
      if (release) releaseConnection(client, false);
      resolve({ rows: result!.rows, affected: result!.rowCount ?? 0 });
    });
  }

  /** After a failed statement: run it again where the failure says so (same connection), else fail with what happened. */
  private async failed(
    client: PgClient,
    statement: Statement,
    text: string,
    name: string | undefined,
    error: unknown,
    logged: boolean,
    started: number,
    release: boolean,
  ): Promise<StatementResult> {
    let broken = false;
    // A microtask first: a failure that came synchronously (a client that throws at once) then
    // releases its connection from the queue, not from inside the release that handed it over,
    // so a run of waiters failing in a row unwinds through the microtask queue, not the stack.
    await undefined;
    try {
      if (logged) this.pool.log(text, started, { failed: true });
      const code = (error as { code?: unknown } | null)?.code;
      if (name && code === STALE_PLAN) {
        this.names.set(text, `${name}x`); // prepare anew under a fresh name
        return await this.run(client, statement, false);
      }
      if (name && typeof code === "string" && NOT_PREPARED.has(code)) {
        this.unnamed = true;
        return await this.run(client, statement, false);
      }
      const brokenClient = client._queryable === false || client._ending === true || !!client.__knex__disposed;
      throw new StatementFailure(classifyPgError(error, "statement", brokenClient), error);
    } catch (failure) {
      broken = isBroken(failure);
      throw failure;
    } finally {
      if (release) releaseConnection(client, broken);
    }
  }

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (!name) this.names.set(text, (name = `nak_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`));
    return name;
  }
}

function connectFailure(error: unknown): StatementFailure {
  return new StatementFailure(classifyPgError(error, "connect"), error);
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
 * statement); `done` is called once. The connection's `query_timeout` bounds the statement with
 * the kit's own timer, which says "timeout" by its class (pg's own fails with a code-less Error).
 * pg would arm a second timer for the same bound on every statement (with a closure around the
 * callback: about a microsecond per statement under load): the setting is lifted for the
 * `query()` call only, synchronously, so pg arms none, and is back before anything else can run
 * on the connection (the app's queries on it still get pg's timer). After a timeout the client is
 * dropped: the statement may still be running on it.
 */
function send(client: PgClient, text: string, values: unknown[], name: string | undefined, done: (error: unknown, result: PgResult | undefined) => void): void {
  const parameters = client.connectionParameters;
  const ms = parameters?.query_timeout;
  let settled = false;
  const timer = ms
    ? setTimeout(() => {
        settled = true;
        done(new ReadTimeoutError("the database did not answer in time"), undefined);
      }, ms)
    : undefined;
  try {
    if (timer !== undefined) parameters!.query_timeout = 0;
    const callback: PgCallback = (error, result) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      done(error ?? null, result);
    };
    // pg turns a config object into a Query by copying it through its property descriptors (pg
    // 8.21+: about 1.5 µs a statement); a Query made from the text, as pg's own docs make one, and
    // handed over is used as it is. The client's own class, so it is always the pg that runs it.
    const Query = (client.constructor as { Query?: PgQueryClass }).Query;
    if (typeof Query === "function") {
      const query = new Query(text, values, callback);
      if (name !== undefined) query.name = name;
      client.query(query);
    } else client.query(name ? { name, text, values } : { text, values }, callback);
  } catch (error) {
    if (!settled) {
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      done(error ?? new Error("query failed"), undefined);
    }
  } finally {
    if (timer !== undefined) parameters!.query_timeout = ms;
  }
}
