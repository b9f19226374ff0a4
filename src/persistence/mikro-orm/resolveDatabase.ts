import type { MikroORM, Options } from "@mikro-orm/core";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import type { MySqlFamily } from "./dialects/mysql/mysqlOptions";
import { mysql, PG_URL, postgres, replicaConnections, sqlite, type ReplicaOption } from "./driverOptions";
import { refuseUnreadKeys, sslOption, typeOrmStyle, type TypeOrmStyleConfig } from "./typeOrmStyle";
import type { SslOption } from "./driverOptions";

export { CONNECTION_DEFAULTS, REPLICA_CONNECTION_DEFAULTS, type ReplicaOption } from "./driverOptions";
export type { TypeOrmStyleConfig } from "./typeOrmStyle";

/** The URL form with replicas: `{ url: "postgres://primary/db", replicas: [...] }`. */
export interface UrlWithReplicas extends ReplicationOptions {
  url: string;
  replicas?: ReplicaOption[];
  synchronize?: boolean;
  /** The PostgreSQL schema of the kit's tables (as `?schema=` in the URL). */
  schema?: string;
  /** TLS as in the TypeORM-style object; the URL's own TLS settings win. */
  ssl?: SslOption;
}

/** The URL form's keys: any other is refused rather than dropped. */
const URL_FORM_KEYS: ReadonlySet<string> = new Set<keyof UrlWithReplicas>(["url", "replicas", "synchronize", "schema", "ssl", "maxReplicaLagMs", "replicaPollMs"]);

/** Replica read settings, accepted next to `replicas` in every object form (MikroORM options too). */
export interface ReplicationOptions {
  maxReplicaLagMs?: number;
  replicaPollMs?: number;
}

/**
 * Everything `createAdapterKit({ database })` accepts. `"memory"`: the embedded SQLite in memory
 * (tables created), chosen explicitly; what an omitted `database` means outside production.
 */
export type DatabaseOption = "memory" | string | TypeOrmStyleConfig | UrlWithReplicas | (Options & ReplicationOptions) | MikroORM;

/** Resolved replica read settings. */
export interface ReplicationSettings {
  maxLagMs: number;
  pollMs: number;
}

export const REPLICATION_DEFAULTS: ReplicationSettings = { maxLagMs: 1000, pollMs: 100 };

/** Either options the kit opens an ORM from (and owns), or an ORM the app owns. */
export type ResolvedDatabase = (
  | { kind: "options"; options: Options; synchronize: boolean; embedded: boolean }
  | { kind: "instance"; orm: MikroORM }
) & { replication?: ReplicationSettings };

const SQLITE_URL = /^sqlite:(\/\/)?/i;
const MYSQL_URL = /^(mysql|mariadb):\/\//i;

export function isMikroOrm(value: unknown): value is MikroORM {
  const v = value as { em?: unknown; getMetadata?: unknown; config?: unknown } | null;
  return !!v && typeof v === "object" && typeof v.getMetadata === "function" && typeof v.em === "object" && !!v.config;
}

/** Set once the in-memory warning was given: the kit says it once per process. */
let warnedInMemory = false;

/**
 * No `database`: an error in production (a forgotten DATABASE_URL must not quietly keep users in
 * memory until the next restart); elsewhere the embedded SQLite, with one warning per process
 * (none under NODE_ENV=test).
 */
function omittedDatabase(synchronize?: boolean): ResolvedDatabase {
  const env = process.env.NODE_ENV;
  if (env === "production") {
    throw new AdapterError(ErrorCode.CONFIGURATION, 'no `database` while NODE_ENV=production: set DATABASE_URL, or pass `database: "memory"` explicitly');
  }
  if (!warnedInMemory && env !== "test") {
    warnedInMemory = true;
    process.emitWarning('nextauth-adapter-kit: no `database` given, so users and sessions live in memory and are lost on restart (pass `database: "memory"` to say so, or a database URL)', {
      code: "NAK_IN_MEMORY_DATABASE",
    });
  }
  return sqlite(":memory:", synchronize ?? true, true);
}

/** Translates the accepted `database` forms into MikroORM options. Errors never show the value given. */
export function resolveDatabase(database: DatabaseOption | undefined, synchronize?: boolean): ResolvedDatabase {
  if (database === undefined || isMikroOrm(database) || typeof database !== "object" || database === null) {
    return { ...resolveForm(database, synchronize), replication: REPLICATION_DEFAULTS };
  }
  return { ...resolveForm(database, synchronize), replication: replicationSettings(database as ReplicationOptions) };
}

function resolveForm(database: DatabaseOption | undefined, synchronize?: boolean): ResolvedDatabase {
  if (database === undefined) return omittedDatabase(synchronize);
  if (database === "memory") return sqlite(":memory:", synchronize ?? true, true);
  if (isMikroOrm(database)) return { kind: "instance", orm: database };
  if (typeof database === "string") {
    if (PG_URL.test(database)) return postgres({ clientUrl: database }, synchronize ?? false);
    if (SQLITE_URL.test(database)) return sqlite(database.replace(SQLITE_URL, "") || ":memory:", synchronize ?? false, false);
    const family = MYSQL_URL.exec(database)?.[1]?.toLowerCase() as MySqlFamily | undefined;
    if (family) return mysql(family, { clientUrl: database }, synchronize ?? false);
    // Not even the scheme is echoed: a mistyped URL still holds a host, a user and a password.
    throw new AdapterError(ErrorCode.CONFIGURATION, 'database: expected a postgres://, mysql://, mariadb:// or sqlite: URL, or "memory" (the value given is not shown)');
  }
  if (typeof database !== "object" || database === null) {
    throw new AdapterError(ErrorCode.CONFIGURATION, "database: expected a URL, a TypeORM-style object, MikroORM options or a MikroORM instance");
  }
  if ("type" in database && typeof database.type === "string") return typeOrmStyle(database as TypeOrmStyleConfig, synchronize);
  if (isUrlForm(database)) {
    if (!PG_URL.test(database.url)) throw new AdapterError(ErrorCode.CONFIGURATION, "database.url: read replicas need a postgres:// URL");
    refuseUnreadKeys(database, URL_FORM_KEYS, "the URL form");
    return postgres({ clientUrl: database.url, schema: database.schema, replicas: replicaConnections(database.replicas) }, synchronize ?? database.synchronize ?? false, sslOption(database));
  }
  const { synchronize: sync, maxReplicaLagMs: _lag, replicaPollMs: _poll, ...options } = database as Options & ReplicationOptions & { synchronize?: boolean };
  return { kind: "options", options, synchronize: synchronize ?? sync ?? false, embedded: false };
}

/** `{ url, replicas? }` without MikroORM's own keys: the URL form. */
function isUrlForm(database: object): database is UrlWithReplicas {
  return typeof (database as { url?: unknown }).url === "string" && !("clientUrl" in database) && !("driver" in database) && !("dbName" in database);
}

function replicationSettings(options: ReplicationOptions): ReplicationSettings {
  const read = (name: keyof ReplicationOptions, fallback: number): number => {
    const value = options[name];
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new AdapterError(ErrorCode.CONFIGURATION, `database.${name} must be a positive number of milliseconds`);
    }
    return value;
  };
  return { maxLagMs: read("maxReplicaLagMs", REPLICATION_DEFAULTS.maxLagMs), pollMs: read("replicaPollMs", REPLICATION_DEFAULTS.pollMs) };
}

