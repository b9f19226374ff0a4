import { Configuration, type MikroORM } from "@mikro-orm/core";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { KnexTimeoutError } from "knex";
import { ownedByClient, PoolClosedError, releaseConnection } from "./connectionOwners";
import { HeldConnections, type HeldClient } from "./HeldConnections";

/** The part of knex's client this uses: its tarn pool of raw driver connections. */
type KnexClient<C> = HeldClient<C>;

export { PoolClosedError, releaseConnection };

/**
 * Raw driver connections from the knex pool MikroORM owns (the only place, with the dialects, that
 * knows knex's internals). The knex instance is looked up on every call: `orm.connect()` after a
 * close makes a new one.
 */
export class KnexPool<C extends object> {
  constructor(
    private readonly connection: AbstractSqlConnection,
    /** Hold connections between statements (PostgreSQL, MySQL family); SQLite's single connection goes back to tarn each time. */
    private readonly hold = false,
  ) {}

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

  /**
   * A raw connection; hand it back with `releaseConnection(raw, broken)`. Not an async function:
   * the hot path saves a promise and a tick per statement. With `hold` (the constructor's), the
   * connection comes from the kit's held set (see HeldConnections) instead of tarn on every call.
   */
  acquire(): Promise<C> {
    // `connected` is MikroORM's own flag (what ensureConnection() checks): skip its promise once connected.
    if (!(this.connection as unknown as { connected?: boolean }).connected) return this.connection.ensureConnection().then(() => this.acquireNow());
    return this.acquireNow();
  }

  /**
   * An idle held connection, synchronously, or undefined (then `acquire()`): the common case costs
   * no promise at all. Only once connected, with the pool open and held from.
   */
  takeIdle(): C | undefined {
    return this.heldNow()?.takeIdle();
  }

  /**
   * `acquire` with callbacks, for a caller that found none idle (`takeIdle`): from the held set,
   * `ready` may run synchronously as another kit statement gives its connection back (see
   * `HeldConnections.wait`); otherwise through `acquire`'s promise. Neither callback may throw.
   */
  wait(ready: (raw: C) => void, fail: (error: unknown) => void): void {
    const held = this.heldNow();
    if (held) held.wait(ready, fail);
    else this.acquire().then(ready, fail);
  }

  /** The held set of the current pool, once connected and held from (else undefined: `acquire` sorts it out). */
  private heldNow(): HeldConnections<C> | undefined {
    if (!this.hold || !(this.connection as unknown as { connected?: boolean }).connected) return undefined;
    let client: KnexClient<C>;
    try {
      client = this.client();
    } catch {
      return undefined;
    }
    return client.pool !== undefined && client.pool === this.heldPool ? this.held : undefined;
  }

  private acquireNow(): Promise<C> {
    let client: KnexClient<C>;
    try {
      client = this.client();
    } catch (error) {
      return Promise.reject(error);
    }
    if (!client.pool) return Promise.reject(new PoolClosedError("the ORM's connection pool is closed"));
    if (this.hold) {
      const held = client.pool === this.heldPool ? this.held : this.heldFor(client);
      if (held) return held.acquire();
    }
    return client.acquireConnection().then((raw) => {
      ownedByClient(raw, client);
      return raw;
    });
  }

  private heldPool: unknown;
  private held: HeldConnections<C> | undefined;

  private heldFor(client: KnexClient<C>): HeldConnections<C> | undefined {
    this.heldPool = client.pool;
    return (this.held = HeldConnections.of(client));
  }
}

/** knex's pool timed out handing out a connection. */
export function isAcquireTimeout(error: unknown): boolean {
  return error instanceof KnexTimeoutError;
}

/**
 * Gives back to the pool every connection the kit holds idle on `orm`'s primary and replicas:
 * `kit.close()` on an ORM the app owns (an ORM the kit owns gives them back as its pool closes).
 */
export async function releaseIdleConnections(orm: MikroORM): Promise<void> {
  const driver = orm.em.getDriver() as unknown as { getConnection(): AbstractSqlConnection; replicas?: AbstractSqlConnection[] };
  const clients: Array<{ pool?: unknown }> = [];
  for (const connection of [driver.getConnection(), ...(driver.replicas ?? [])]) {
    try {
      clients.push(connection.getKnex().client as { pool?: unknown });
    } catch {
      // No knex instance (closed): nothing is held.
    }
  }
  await Promise.all(clients.map((client) => HeldConnections.releaseIdle(client)));
}
