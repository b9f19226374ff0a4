import { MikroORM } from "@mikro-orm/core";
import type { AbstractSqlConnection, EntityManager } from "@mikro-orm/knex";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import { ENTITY_NAMES, entityList, type EntityKey, type KitEntities } from "./entities/createEntities";
import { EntityTable } from "./EntityTable";
import type { ResolvedDatabase } from "./resolveDatabase";
import { checkOrmInstance, checkOrmPackages, versionCheckFailure } from "./ormVersions";
import { isConnectionLost, translateError } from "./translateError";

export type Tables = Record<EntityKey, EntityTable>;

/**
 * What a store's query function gets: the table helpers, the driver's connection for raw SQL, and a
 * fresh EntityManager fork, made on first use of `em`: raw-SQL reads touch no identity map and
 * skip the fork and its allocations.
 */
export interface OrmScope {
  readonly em: EntityManager;
  readonly connection: AbstractSqlConnection;
  readonly tables: Tables;
}

/**
 * Owns the MikroORM instance: created lazily behind one init promise (concurrent first calls share
 * it), a fork per operation, and one reconnect-and-retry when the connection turns out to be lost.
 */
export class OrmConnection {
  private orm: MikroORM | undefined;
  private tables: Tables | undefined;
  private opening: Promise<MikroORM> | undefined;
  private reconnecting: Promise<void> | undefined;
  /** Bumped by every reconnect: a call that failed on an older pool must not close the new one. */
  private generation = 0;
  private closed = false;

  constructor(
    private readonly source: ResolvedDatabase,
    private readonly entities: KitEntities,
  ) {}

  /** The ORM, opening it on first use. */
  get(): Promise<MikroORM> {
    if (this.closed) return Promise.reject(new AdapterError(ErrorCode.CONFIGURATION, "the kit was closed"));
    return (this.opening ??= this.open().catch((error) => {
      this.opening = undefined; // a failed first connect is retried by the next call
      throw error instanceof AdapterError ? error : translateError(error);
    }));
  }

  /** Runs one store query on a fresh fork; reconnects and retries once if the connection was lost. */
  async run<T>(query: (scope: OrmScope) => Promise<T>): Promise<T> {
    const orm = await this.get();
    // Calls arriving mid-reconnect wait for it rather than queue on the pool being closed.
    if (this.reconnecting) await this.reconnecting.catch(() => undefined);
    const generation = this.generation;
    try {
      return await query(this.scope(orm));
    } catch (error) {
      if (!isConnectionLost(error) || this.closed) throw translateError(error);
      // Only the first failure on a pool reconnects it; later ones retry on the pool it made.
      if (generation === this.generation) await this.reconnect(orm);
      else if (this.reconnecting) await this.reconnecting.catch(() => undefined);
      try {
        return await query(this.scope(orm));
      } catch (retryError) {
        throw translateError(retryError);
      }
    }
  }

  private scope(orm: MikroORM): OrmScope {
    let fork: EntityManager | undefined;
    return {
      get em() {
        return (fork ??= orm.em.fork() as EntityManager);
      },
      connection: orm.em.getConnection() as AbstractSqlConnection,
      tables: this.tables!,
    };
  }

  /** Closes the ORM if the kit opened it; an ORM the app handed in stays open. */
  async close(): Promise<void> {
    this.closed = true;
    const opening = this.opening;
    this.opening = undefined;
    if (this.source.kind === "options" && opening) await (await opening.catch(() => undefined))?.close(true);
  }

  /** Creates the kit's tables where they are missing (what `synchronize: true` does on connect). */
  async synchronize(): Promise<void> {
    const orm = await this.get();
    await this.createSchema(orm);
  }

  private async open(): Promise<MikroORM> {
    let orm: MikroORM;
    checkOrmPackages();
    if (this.source.kind === "instance") {
      orm = this.source.orm;
      checkOrmInstance(orm);
      this.checkEntities(orm);
    } else {
      const { options } = this.source;
      const entities = [...((options.entities as unknown[]) ?? []), ...entityList(this.entities)];
      orm = await MikroORM.init({
        ...options,
        entities: entities as never,
        allowGlobalContext: false,
        debug: options.debug ?? false,
        discovery: { warnWhenNoEntities: false, ...options.discovery },
      }).catch((error: unknown) => {
        throw versionCheckFailure(error) ?? error;
      });
      if (this.source.synchronize) await this.createSchema(orm);
    }
    this.orm = orm;
    this.tables = Object.fromEntries(
      (Object.keys(ENTITY_NAMES) as EntityKey[]).map((key) => [key, new EntityTable(orm, ENTITY_NAMES[key])]),
    ) as Tables;
    return orm;
  }

  private async reconnect(orm: MikroORM): Promise<void> {
    this.reconnecting ??= (async () => {
      try {
        await orm.close(true).catch(() => undefined);
        await orm.connect();
        // An in-memory SQLite database is empty after a reconnect: recreate the schema.
        if (this.source.kind === "options" && this.source.embedded) await this.createSchema(orm);
      } finally {
        this.generation++;
        this.reconnecting = undefined;
      }
    })();
    await this.reconnecting.catch((error) => {
      throw translateError(error);
    });
  }

  private async createSchema(orm: MikroORM): Promise<void> {
    const generator = orm.getSchemaGenerator();
    await generator.ensureDatabase();
    await generator.updateSchema({ safe: true });
  }

  private checkEntities(orm: MikroORM): void {
    const missing = Object.values(ENTITY_NAMES).filter((name) => !orm.getMetadata().find(name));
    if (missing.length > 0) {
      throw new AdapterError(
        ErrorCode.CONFIGURATION,
        `the MikroORM instance lacks the kit's entities (${missing.join(", ")}): add ...entityList() to its "entities" option`,
      );
    }
  }
}
