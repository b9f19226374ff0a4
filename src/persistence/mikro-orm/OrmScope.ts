import type { MikroORM } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/knex";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import type { Dialect } from "./dialects/Dialect";
import { ENTITY_NAMES, type EntityKey } from "./entities/createEntities";
import { EntityTable } from "./EntityTable";

export type Tables = Record<EntityKey, EntityTable>;

/**
 * What a store's query function gets: the table helpers (statements through the dialect, values
 * always bound), the dialect for joined statements, and a fresh EntityManager fork, made on first
 * use of `em` (only `onCreate`/`onUpdate` hooks ask for one).
 */
export interface OrmScope {
  readonly em: EntityManager;
  readonly dialect: Dialect;
  readonly tables: Tables;
}

/** An operation's scope; its EntityManager fork is made on first use of `em` (a class: one object per call, no accessor literal). */
export class Scope implements OrmScope {
  private fork: EntityManager | undefined;
  constructor(
    private readonly orm: MikroORM,
    readonly dialect: Dialect,
    readonly tables: Tables,
  ) {}

  get em(): EntityManager {
    return (this.fork ??= this.orm.em.fork() as EntityManager);
  }
}

/** The scope replica reads run in: that replica's dialect and tables (reads need no EntityManager). */
export function replicaScope(dialect: Dialect, tables: Tables): OrmScope {
  return {
    get em(): EntityManager {
      throw new AdapterError(ErrorCode.CONFIGURATION, "a replica read cannot use the EntityManager");
    },
    dialect,
    tables,
  };
}

/** The table helpers of every kit entity on `dialect`. */
export function makeTables(orm: MikroORM, dialect: Dialect): Tables {
  return Object.fromEntries((Object.keys(ENTITY_NAMES) as EntityKey[]).map((key) => [key, new EntityTable(orm, ENTITY_NAMES[key], dialect)])) as Tables;
}
