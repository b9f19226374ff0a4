import "reflect-metadata";
import { AdapterError, ErrorCode } from "../errors/AdapterError";
import type { OperationName } from "../kernel/operations";
import { createEntities, type EntityOptions, type KitEntities } from "../persistence/mikro-orm/entities/createEntities";
import { OrmConnection } from "../persistence/mikro-orm/OrmConnection";
import { resolveDatabase, type DatabaseOption } from "../persistence/mikro-orm/resolveDatabase";
import { AdapterKit } from "./AdapterKit";
import { isV3Layout } from "../persistence/mikro-orm/entities/nextAuthV3Entities";
import type { PluginInput } from "./plugins";
import { sessionTokenHasher, type SessionTokenOptions } from "./sessionTokenOptions";
import type { StoreBinding, StoreName, StoreSet } from "./stores";

export interface AdapterKitOptions extends SessionTokenOptions {
  /**
   * A PostgreSQL URL, a TypeORM-style object (`{type, database, host, ...}`), MikroORM options, or an
   * initialised MikroORM instance the app owns, or `"memory"` (SQLite in memory, tables created).
   * Omitted: the same in-memory SQLite with a one-time warning, and a CONFIGURATION error when
   * NODE_ENV=production.
   */
  database?: DatabaseOption;
  /** Create missing tables on first connect. Default: true for the embedded SQLite, false otherwise. */
  synchronize?: boolean;
  /** The kit's entities, or options to build them (table names, a schema, extra columns). */
  entities?: KitEntities | EntityOptions;
  /** `"memory"` uses the in-memory store set (no database at all). Default `"mikro-orm"`. */
  stores?: "mikro-orm" | "memory";
  /** Individual stores to use instead of the defaults, e.g. `{ sessions: new RedisSessionStore() }`. */
  bindStores?: { [K in StoreName]?: StoreBinding<StoreSet[K]> };
  /** Plugins: objects from `nextauth-adapter-kit/plugins`, your own objects, or `@Plugin` classes. */
  plugins?: PluginInput[];
  /**
   * Development only: keep the database driver's own error as `AdapterError.cause`. It holds the
   * SQL and the server's message, which can quote values (tokens, e-mails). Off unless set.
   */
  rawDatabaseErrors?: boolean;
  /** Operation implementations to use instead of the defaults, by name. */
  operations?: { [K in OperationName]?: new (...args: never[]) => unknown };
}

function isEntitySet(value: KitEntities | EntityOptions): value is KitEntities {
  return "user" in value && typeof (value as KitEntities).user?.meta === "object";
}

/** Builds an adapter kit. Synchronous: nothing connects until the first operation runs. */
export function createAdapterKit(options: AdapterKitOptions = {}): AdapterKit {
  if (options === null || typeof options !== "object") {
    throw new AdapterError(ErrorCode.CONFIGURATION, "createAdapterKit: expected an options object");
  }
  const stores = options.stores ?? "mikro-orm";
  let connection: OrmConnection | undefined;
  let entities: KitEntities | undefined;
  if (stores === "mikro-orm") {
    entities = options.entities && isEntitySet(options.entities) ? options.entities : createEntities(options.entities);
    connection = new OrmConnection(resolveDatabase(options.database, options.synchronize), entities, { rawDatabaseErrors: options.rawDatabaseErrors === true });
  } else if (stores !== "memory") {
    throw new AdapterError(ErrorCode.CONFIGURATION, 'createAdapterKit: stores must be "mikro-orm" or "memory" (the value given is not shown)');
  }
  // Hashed by default; raw by default only on NextAuth v3's own tables (v3 reads them too).
  const hasher = sessionTokenHasher(options, isV3Layout(entities));
  const kit = new AdapterKit(stores, connection, hasher);
  connection?.onPoolRebuild((event) => kit.events.emit("database.rebuild", event));
  for (const [name, store] of Object.entries(options.bindStores ?? {})) kit.bindStore(name as StoreName, store as never);
  for (const [name, implementation] of Object.entries(options.operations ?? {})) kit.override(name as OperationName, implementation);
  for (const plugin of options.plugins ?? []) kit.use(plugin);
  return kit;
}
