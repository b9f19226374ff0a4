import type { MikroORM } from "@mikro-orm/core";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import { assertKitEntities, type KitEntities } from "./entities/createEntities";
import { layoutMismatch } from "./entities/naturalKeyEntities";
import { makeTables, replicaScope, Scope, type OrmScope, type Tables } from "./OrmScope";
import { REPLICATION_DEFAULTS, type ResolvedDatabase } from "./resolveDatabase";
import { Replication, type TouchedBy, type UserIdsOf } from "./replicas/Replication";
import { StatementFailure, type DatabaseFailure, type Dialect } from "./dialects/Dialect";
import { dialectFor } from "./dialects/dialectFor";
import { releaseIdleConnections } from "./dialects/KnexPool";
import { failureOf, schemaChangeFailure, translateError } from "./translateError";
import { checkOrmInstance, checkOrmPackages } from "./ormVersions";
import { initKitOrm } from "./initKitOrm";
import { primaryKeysByColumns } from "./primaryKeysByColumns";
import { updateKitSchema } from "./updateKitSchema";

export type { OrmScope, Tables };

export interface OrmConnectionOptions {
  /** Keep the driver's raw error as `AdapterError.cause` (development only; see README "Errors"). */
  rawDatabaseErrors?: boolean;
}

/** Why the kit rebuilt the whole pool (the `database.rebuild` kit event). */
export interface PoolRebuild {
  reason: "pool_closed";
}

/**
 * Owns the MikroORM instance: created lazily behind one init promise (concurrent first calls share
 * it), a fork per operation, and the kit's answer to a lost connection. A broken client is dropped
 * by the dialect and the pool replaces it; a read is retried once. The whole pool is rebuilt only
 * when the ORM reports it closed, and only for an ORM the kit opened: an ORM the app passed in is
 * never closed or reconnected by the kit (the call fails with DATABASE_UNAVAILABLE).
 */
export class OrmConnection {
  private orm: MikroORM | undefined;
  private tables: Tables | undefined;
  private dialect: Dialect | undefined;
  private opening: Promise<MikroORM> | undefined;
  private rebuilding: Promise<void> | undefined;
  private closed = false;
  /** The database's name (only that: never host, user or password), to name it when it does not exist. */
  private dbName: string | undefined;
  private readonly rebuildListeners = new Set<(event: PoolRebuild) => void>();
  /** Read replicas (when the ORM has any): hot-read routing and the write fence. */
  readonly replication: Replication<OrmScope>;

  constructor(
    private readonly source: ResolvedDatabase,
    private readonly entities: KitEntities,
    private readonly options: OrmConnectionOptions = {},
  ) {
    this.replication = new Replication(source.replication ?? REPLICATION_DEFAULTS);
  }

  /** Called whenever the kit closes and reopens the whole pool (never because of a caller's input). */
  onPoolRebuild(listener: (event: PoolRebuild) => void): void {
    this.rebuildListeners.add(listener);
  }

  /** The ORM, opening it on first use. */
  get(): Promise<MikroORM> {
    if (this.closed) return Promise.reject(new AdapterError(ErrorCode.CONFIGURATION, "the kit was closed"));
    return (this.opening ??= this.open().catch((error) => {
      this.opening = undefined; // a failed first connect is retried by the next call
      throw this.translate(error, "connect");
    }));
  }

  /**
   * A write: retried once only when it never reached the server (no connection could be had).
   * `touched` names the users whose rows it changed (omitted: anyone's), so that replica reads
   * about them wait until the replica has replayed it; `creates`: it makes rows findable by a new
   * key (a replica's "not found" is not believed until it has replayed it); `createdKeys`: those
   * keys (stores/replicaKeys `lookupKey`), or how to read them off the result, when the write can
   * name every one (then only misses for them wait).
   */
  async run<T>(
    query: (scope: OrmScope) => Promise<T>,
    touched?: TouchedBy<T>,
    creates = false,
    createdKeys?: readonly string[] | ((result: T) => readonly string[]),
  ): Promise<T> {
    let result: T;
    try {
      result = await this.attempt(query, false);
    } catch (error) {
      this.replication.failed(error);
      throw error;
    }
    if (this.replication.active) {
      const keys = touched && createdKeys ? (typeof createdKeys === "function" ? createdKeys(result) : createdKeys) : undefined;
      await this.replication.wrote(touched ? touched(result) : "all", creates || !touched, keys);
    }
    return result;
  }

  /**
   * A hot read a replica may answer (see Replication): `userIdsOf` names the users the result is
   * about, or null for a miss, which the primary is asked again unless `missKey` (the lookup key,
   * as creations name it) lets the replica's "not found" be believed.
   */
  replicaRead<T>(query: (scope: OrmScope) => Promise<T>, userIdsOf: UserIdsOf<T>, missKey?: string): Promise<T> {
    return this.replication.active ? this.get().then(() => this.replication.read(query, userIdsOf, () => this.read(query), missKey)) : this.read(query);
  }

  /**
   * `replicaRead(...).then(onValue, onError)`, where the step that catches a broken connection
   * (to retry the read) also hands the answer on: one promise step less on a hot read.
   */
  replicaReadThen<T, R>(query: (scope: OrmScope) => Promise<T>, userIdsOf: UserIdsOf<T>, missKey: string | undefined, onValue: (value: T) => R, onError: (error: unknown) => never): Promise<Awaited<R>> {
    if (this.replication.active) return this.replicaRead(query, userIdsOf, missKey).then(onValue, onError) as Promise<Awaited<R>>;
    return this.attempt(query, true, onValue, onError);
  }

  /** A read: also retried once when the connection broke under it (it changed nothing). */
  read<T>(query: (scope: OrmScope) => Promise<T>): Promise<T> {
    return this.attempt(query, true);
  }

  /** `query`, retried as `recover` says; its answer (first or retried) goes through `onValue`, a failure through `onError`. */
  private attempt<T, R = T>(query: (scope: OrmScope) => Promise<T>, idempotent: boolean, onValue?: (value: T) => R, onError?: (error: unknown) => never): Promise<Awaited<R>> {
    const orm = this.orm;
    // Open, not rebuilding, pool up (every call but the first few): no async frame, no wait on the opening promise.
    if (orm === undefined || this.opening === undefined || this.closed || this.rebuilding || this.dialect!.poolClosed()) return this.attemptSlowly(query, idempotent).then(onValue, onError) as Promise<Awaited<R>>;
    let first: Promise<T>;
    try {
      first = query(this.scope(orm));
    } catch (error) {
      first = Promise.reject(error);
    }
    // One step either way: it hands the answer on (or passes it through) and catches what to retry.
    return first.then(onValue, (error: unknown) => this.recover(error, query, idempotent, orm).then(onValue, onError)) as Promise<Awaited<R>>;
  }

  private async attemptSlowly<T>(query: (scope: OrmScope) => Promise<T>, idempotent: boolean): Promise<T> {
    const orm = await this.ready();
    if (this.dialect!.poolClosed()) await this.rebuild(orm);
    try {
      return await query(this.scope(orm));
    } catch (error) {
      return this.recover(error, query, idempotent, orm);
    }
  }

  /** After a failed first try: translate, or (a broken connection, a closed pool) retry once. */
  private async recover<T>(error: unknown, query: (scope: OrmScope) => Promise<T>, idempotent: boolean, orm: MikroORM): Promise<T> {
    const failure = error instanceof StatementFailure ? error.failure : undefined;
    if (!failure || this.closed) throw this.translate(error);
    if (failure.kind === "pool_closed") await this.rebuild(orm);
    else if (failure.kind !== "connection_lost" || !(idempotent || failure.phase === "connect")) throw this.translate(error);
    // The dialect dropped the broken client; the pool hands out a fresh one.
    try {
      return await query(this.scope(orm));
    } catch (retryError) {
      throw this.translate(retryError);
    }
  }

  private async ready(): Promise<MikroORM> {
    const orm = await this.get();
    if (this.rebuilding) await this.rebuilding.catch(() => undefined);
    return orm;
  }

  private scope(orm: MikroORM): OrmScope {
    return new Scope(orm, this.dialect!, this.tables!);
  }

  /** The scope replica reads run in: that replica's dialect and tables (reads need no EntityManager). */
  private replicaScope(orm: MikroORM, dialect: Dialect): OrmScope {
    return replicaScope(dialect, makeTables(orm, dialect));
  }

  /** Closes the ORM if the kit opened it; an ORM the app handed in stays open. */
  async close(): Promise<void> {
    this.closed = true;
    this.replication.close();
    const opening = this.opening;
    this.opening = undefined;
    const orm = opening && (await opening.catch(() => undefined));
    if (!orm) return;
    // The kit's ORM: closing its pool takes back the connections the kit held; the app's ORM stays open, minus them.
    if (this.source.kind === "options") await orm.close(true);
    else await releaseIdleConnections(orm);
  }

  /**
   * Fails (CONFIGURATION, naming the database) when the database does not exist. For callers of
   * MikroORM tools that would create it on their own (the Migrator's ensureDatabase).
   */
  async assertDatabaseExists(): Promise<void> {
    await this.get();
    await this.dialect!.execute({ text: "select 1", values: [] }).catch((error) => {
      throw this.translate(error, "connect");
    });
  }

  /** True when the kit makes its own tables on connect (`synchronize: true`, the embedded SQLite): migrations are not how this database is managed. */
  get synchronizes(): boolean {
    return this.source.kind === "options" && this.source.synchronize;
  }

  /** Creates the kit's tables where they are missing (what `synchronize: true` does on connect). */
  async synchronize(): Promise<void> {
    const orm = await this.get();
    await this.createSchema(orm);
  }

  private async open(): Promise<MikroORM> {
    checkOrmPackages();
    const source = this.source;
    const orm = source.kind === "instance" ? source.orm : await initKitOrm(source.options, this.entities);
    if (source.kind === "instance") {
      checkOrmInstance(orm);
      assertKitEntities(orm);
    }
    this.dbName = orm.config.get("dbName");
    const dialect = (this.dialect = dialectFor(orm));
    const mismatch = layoutMismatch(this.entities, dialect.name);
    if (mismatch) {
      // The kit's own pool: nothing else holds it. An app's ORM stays open.
      if (source.kind === "options") await orm.close(true);
      throw mismatch;
    }
    primaryKeysByColumns(orm);
    if (source.kind === "options" && source.synchronize) await this.createSchema(orm);
    this.orm = orm;
    this.tables = makeTables(orm, dialect);
    await this.replication.open(orm, dialect, (replica) => this.replicaScope(orm, replica));
    return orm;
  }

  /**
   * The ORM reported its pool closed. The kit reopens a pool it owns (one rebuild for all the
   * calls that noticed); an app's ORM is the app's to reconnect.
   */
  private async rebuild(orm: MikroORM): Promise<void> {
    if (this.source.kind === "instance") {
      throw new AdapterError(
        ErrorCode.DATABASE_UNAVAILABLE,
        "the database is unavailable: the app's MikroORM instance is closed (the kit never reconnects an ORM it was given)",
      );
    }
    this.rebuilding ??= (async () => {
      try {
        // A call that saw the old pool closed may arrive after another call reopened it: never close a live pool.
        if (!this.dialect!.poolClosed()) return;
        await orm.close(true).catch(() => undefined);
        await orm.connect();
        // An in-memory SQLite database is empty after a reconnect: recreate the schema.
        if (this.source.kind === "options" && this.source.embedded) await this.createSchema(orm);
        for (const listener of this.rebuildListeners) listener({ reason: "pool_closed" });
      } finally {
        this.rebuilding = undefined;
      }
    })();
    await this.rebuilding.catch((error) => {
      throw this.translate(error, "connect");
    });
  }

  /**
   * Creates the kit's missing tables, never the database (MikroORM's generator would create it):
   * a first statement checks it exists, so a missing one fails with its name.
   */
  private async createSchema(orm: MikroORM): Promise<void> {
    await this.dialect!.execute({ text: "select 1", values: [] });
    // New MySQL-family tables get the NO PAD binary collation the shipped migrations give them (a kit-owned ORM only, never over the app's `collate`).
    const exactCollation = this.source.kind === "options" && this.source.options.collate === undefined;
    await updateKitSchema(orm, this.dialect!, exactCollation).catch((error: unknown) => {
      throw schemaChangeFailure(this.translate(error, "statement"));
    });
  }

  /** A sanitised AdapterError; a missing database is named (only its name, never the rest of the URL). */
  private translate(error: unknown, phase?: "connect" | "statement"): AdapterError {
    const classify = this.dialect ? (e: unknown, p: DatabaseFailure["phase"]) => this.dialect!.classify(e, p) : undefined;
    const failure = failureOf(error, phase, classify);
    if (failure.kind === "missing_database" && this.dbName) {
      error = new StatementFailure({ ...failure, database: this.dbName }, error instanceof StatementFailure ? error.raw : error);
    }
    return translateError(error, { rawDatabaseErrors: this.options.rawDatabaseErrors, phase, classify });
  }
}
