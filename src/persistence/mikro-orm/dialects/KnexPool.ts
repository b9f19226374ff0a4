import { Configuration } from "@mikro-orm/core";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { KnexTimeoutError } from "knex";

/** The part of knex's client this uses: its tarn pool of raw driver connections. */
interface KnexClient<C> {
  pool?: unknown;
  acquireConnection(): Promise<C>;
  releaseConnection(connection: C): Promise<void>;
}

/** Thrown (and classified) when the ORM's pool was closed: nothing to acquire from. */
export class PoolClosedError extends Error {
  override readonly name = "PoolClosedError";
}

/**
 * Raw driver connections from the knex pool MikroORM owns (the only place, with the dialects, that
 * knows knex's internals). The knex instance is looked up on every call: `orm.connect()` after a
 * close makes a new one.
 */
export class KnexPool<C extends object> {
  constructor(private readonly connection: AbstractSqlConnection) {}

  private client(): KnexClient<C> {
    return this.connection.getKnex().client as unknown as KnexClient<C>;
  }

  /**
   * The app's `onQuery` hook, when it set one: it sees (and may rewrite) every statement's text,
   * with the values as MikroORM passes them. Undefined when the hook is MikroORM's default.
   */
  onQuery(): ((text: string, values: unknown[]) => string) | undefined {
    const hook = this.connection.getPlatform().getConfig().get("onQuery");
    return hook === Configuration.DEFAULTS.onQuery ? undefined : hook;
  }

  /**
   * Hands a statement's text (placeholders only, never its values) to MikroORM's query logger, so
   * an app that logs queries (`debug: ["query"]`) still sees every statement the kit runs.
   */
  log(text: string, started: number, outcome: { affected?: number; results?: number; failed?: boolean }): void {
    const logger = this.logger();
    if (!logger.isEnabled("query")) return;
    logger.logQuery({ query: text, took: Date.now() - started, level: outcome.failed ? "error" : "info", affected: outcome.affected, results: outcome.results });
  }

  /** True when the app's MikroORM logger logs queries: only then is a statement's timing worth a clock read. */
  logsQueries(): boolean {
    return this.logger().isEnabled("query");
  }

  private logger() {
    return this.connection.getPlatform().getConfig().getLogger();
  }

  /** True when `orm.close()` destroyed the pool. */
  closed(): boolean {
    return !this.client().pool;
  }

  /** A raw connection and its release. Not an async function: the hot path saves a promise and a tick per statement. */
  acquire(): Promise<{ raw: C; release: (broken?: boolean) => void }> {
    // `connected` is MikroORM's own flag (what ensureConnection() checks): skip its promise once connected.
    if (!(this.connection as unknown as { connected?: boolean }).connected) return this.connection.ensureConnection().then(() => this.acquireNow());
    return this.acquireNow();
  }

  private acquireNow(): Promise<{ raw: C; release: (broken?: boolean) => void }> {
    let client: KnexClient<C>;
    try {
      client = this.client();
    } catch (error) {
      return Promise.reject(error);
    }
    if (!client.pool) return Promise.reject(new PoolClosedError("the ORM's connection pool is closed"));
    return client.acquireConnection().then((raw) => ({
      raw,
      release: (broken = false) => {
        // knex's pool validates a connection before handing it out again and destroys one marked
        // disposed: a broken client is replaced by a fresh one, the rest of the pool is untouched.
        if (broken) (raw as { __knex__disposed?: unknown }).__knex__disposed = "dropped by nextauth-adapter-kit after a connection failure";
        void client.releaseConnection(raw);
      },
    }));
  }
}

/** knex's pool timed out handing out a connection. */
export function isAcquireTimeout(error: unknown): boolean {
  return error instanceof KnexTimeoutError;
}
