import type { MikroORM, Options } from "@mikro-orm/core";
import { sslOfUrl } from "./dialects/postgresql/urlSsl";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import { matchingOrmPackage } from "./ormVersions";
import { MYSQL_PACKAGES, mysqlOptions, type MySqlFamily } from "./dialects/mysql/mysqlOptions";

/** The seed's TypeORM-style connection object (`database: {type: 'sqlite', database: ':memory:', synchronize: true}`). */
export interface TypeOrmStyleConfig {
  type: "sqlite" | "better-sqlite3" | "postgres" | "postgresql" | "mysql" | "mariadb";
  database?: string;
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  url?: string;
  schema?: string;
  synchronize?: boolean;
  /** PostgreSQL read replicas (see README "Scaling out"). */
  replicas?: ReplicaOption[];
  /** A replica whose view is older than this is not read from (ms). Default 1000. */
  maxReplicaLagMs?: number;
  /** How often replica positions are polled (ms). Default 100. */
  replicaPollMs?: number;
}

/** One read replica: a `postgres://` URL, or its connection fields (missing ones come from the primary). */
export type ReplicaOption = string | { url?: string; host?: string; port?: number; database?: string; username?: string; password?: string; name?: string };

/** The URL form with replicas: `{ url: "postgres://primary/db", replicas: [...] }`. */
export interface UrlWithReplicas extends ReplicationOptions {
  url: string;
  replicas?: ReplicaOption[];
  synchronize?: boolean;
}

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

const PG_URL = /^postgres(ql)?:\/\//i;
const SQLITE_URL = /^sqlite:(\/\/)?/i;
const MYSQL_URL = /^(mysql|mariadb):\/\//i;

/**
 * Defaults that keep every call bounded (ms): a pool acquire timeout, a server-side statement
 * timeout, and a client-side query timeout for a server that stops answering altogether (then the
 * statement timeout cannot fire). Timeouts are not retried, so a call settles within acquire +
 * query (17 s); auth statements take milliseconds, so these only ever fire on a sick database.
 */
export const CONNECTION_DEFAULTS = { acquireTimeoutMillis: 5_000, statementTimeoutMillis: 10_000, queryTimeoutMillis: 12_000, connectTimeoutMillis: 5_000 };

/**
 * Replicas get shorter bounds: a read they cannot answer quickly goes to the primary instead, so a
 * frozen replica costs a read at most about a second before it is skipped.
 */
export const REPLICA_CONNECTION_DEFAULTS = { acquireTimeoutMillis: 1_000, statementTimeoutMillis: 1_000, queryTimeoutMillis: 1_200 };

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
    return postgres({ clientUrl: database.url, replicas: replicaConnections(database.replicas) }, synchronize ?? database.synchronize ?? false);
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

/** The `replicas` entry as MikroORM's replica connection options, with the replica timeouts. */
function replicaConnections(replicas: ReplicaOption[] | undefined): Options["replicas"] {
  if (replicas === undefined) return undefined;
  if (!Array.isArray(replicas)) throw new AdapterError(ErrorCode.CONFIGURATION, "database.replicas must be an array of postgres:// URLs or connection objects");
  return replicas.map((replica, index) => {
    let connection: NonNullable<Options["replicas"]>[number];
    if (typeof replica === "string") {
      // The value is never echoed: a URL may hold a password.
      if (!PG_URL.test(replica)) throw new AdapterError(ErrorCode.CONFIGURATION, `database.replicas[${index}]: expected a postgres:// URL`);
      connection = { clientUrl: replica };
    } else if (replica !== null && typeof replica === "object") {
      if (replica.url !== undefined && (typeof replica.url !== "string" || !PG_URL.test(replica.url))) {
        throw new AdapterError(ErrorCode.CONFIGURATION, `database.replicas[${index}].url: expected a postgres:// URL`);
      }
      connection = replica.url
        ? { clientUrl: replica.url, name: replica.name }
        : { host: replica.host, port: replica.port, dbName: replica.database, user: replica.username, password: replica.password, name: replica.name };
    } else {
      throw new AdapterError(ErrorCode.CONFIGURATION, `database.replicas[${index}]: expected a postgres:// URL or a connection object`);
    }
    const defined = Object.fromEntries(Object.entries(connection).filter(([, v]) => v !== undefined));
    // A replica URL's own TLS settings; one that says nothing keeps the primary's.
    const ssl = typeof defined.clientUrl === "string" ? sslOfUrl(defined.clientUrl, `database.replicas[${index}]`) : undefined;
    return {
      ...defined,
      pool: { acquireTimeoutMillis: REPLICA_CONNECTION_DEFAULTS.acquireTimeoutMillis },
      driverOptions: {
        connection: {
          statement_timeout: REPLICA_CONNECTION_DEFAULTS.statementTimeoutMillis,
          query_timeout: REPLICA_CONNECTION_DEFAULTS.queryTimeoutMillis,
          ...(ssl !== undefined && { ssl }),
        },
      },
    };
  });
}

function typeOrmStyle(config: TypeOrmStyleConfig, synchronize?: boolean): ResolvedDatabase {
  const sync = synchronize ?? config.synchronize ?? false;
  switch (config.type) {
    case "sqlite":
    case "better-sqlite3":
      if (config.replicas !== undefined) throw new AdapterError(ErrorCode.CONFIGURATION, "database.replicas: read replicas are supported on PostgreSQL only");
      return sqlite(config.database ?? ":memory:", sync, config.database === undefined || config.database === ":memory:");
    case "postgres":
    case "postgresql":
      return postgres(
        config.url
          ? { clientUrl: config.url, schema: config.schema, replicas: replicaConnections(config.replicas) }
          : {
              dbName: config.database,
              host: config.host,
              port: config.port,
              user: config.username,
              password: config.password,
              schema: config.schema,
              replicas: replicaConnections(config.replicas),
            },
        sync,
      );
    case "mysql":
    case "mariadb":
      if (config.replicas !== undefined) throw new AdapterError(ErrorCode.CONFIGURATION, "database.replicas: read replicas are supported on PostgreSQL only");
      return mysql(
        config.type,
        config.url
          ? { clientUrl: config.url }
          : { dbName: config.database, host: config.host, port: config.port, user: config.username, password: config.password },
        sync,
      );
    default:
      throw new AdapterError(ErrorCode.CONFIGURATION, `database.type ${shown((config as { type: unknown }).type)} is not supported: use "postgres", "mysql", "mariadb" or "sqlite"`);
  }
}

function postgres(options: Options, synchronize: boolean): ResolvedDatabase {
  const { PostgreSqlDriver } = loadDriver("@mikro-orm/postgresql", "PostgreSQL", () => require("@mikro-orm/postgresql")) as typeof import("@mikro-orm/postgresql");
  const clean = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Options;
  // The URL's TLS settings, which MikroORM would drop; replicas whose URL has none use them too.
  const ssl = typeof options.clientUrl === "string" ? sslOfUrl(options.clientUrl, "database") : undefined;
  return {
    kind: "options",
    options: {
      driver: PostgreSqlDriver,
      ...clean,
      pool: { acquireTimeoutMillis: CONNECTION_DEFAULTS.acquireTimeoutMillis },
      driverOptions: {
        connection: {
          statement_timeout: CONNECTION_DEFAULTS.statementTimeoutMillis,
          query_timeout: CONNECTION_DEFAULTS.queryTimeoutMillis,
          ...(ssl !== undefined && { ssl }),
        },
      },
    },
    synchronize,
    embedded: false,
  };
}

/** MySQL through mysql2 (`@mikro-orm/mysql`) or MariaDB's connector (`@mikro-orm/mariadb`). */
function mysql(family: MySqlFamily, connection: Options, synchronize: boolean): ResolvedDatabase {
  const pkg = MYSQL_PACKAGES[family];
  const driver =
    family === "mysql"
      ? (loadDriver(pkg, "MySQL", () => require("@mikro-orm/mysql")) as typeof import("@mikro-orm/mysql")).MySqlDriver
      : (loadDriver(pkg, "MariaDB", () => require("@mikro-orm/mariadb")) as typeof import("@mikro-orm/mariadb")).MariaDbDriver;
  return { kind: "options", options: mysqlOptions(driver, family, connection, CONNECTION_DEFAULTS), synchronize, embedded: false };
}

function sqlite(dbName: string, synchronize: boolean, embedded: boolean): ResolvedDatabase {
  const { BetterSqliteDriver } = loadDriver("@mikro-orm/better-sqlite", "SQLite", () => require("@mikro-orm/better-sqlite")) as typeof import("@mikro-orm/better-sqlite");
  return { kind: "options", options: { driver: BetterSqliteDriver, dbName }, synchronize, embedded };
}

/** A configuration value quoted in an error only when it is a short plain word (never a URL or a secret). */
function shown(value: unknown): string {
  return typeof value === "string" && /^[A-Za-z0-9_-]{1,20}$/.test(value) ? `"${value}"` : "(not shown)";
}

/**
 * Loads an optional driver package, saying how to install it when it is missing. `load` is a
 * literal `() => require("name")`: bundlers (Next.js) follow literal requires only.
 */
function loadDriver(pkg: string, label: string, load: () => unknown): unknown {
  try {
    return load();
  } catch (cause) {
    throw new AdapterError(ErrorCode.CONFIGURATION, `the ${label} driver is not installed: run \`npm install -E ${matchingOrmPackage(pkg)}\` (the version of @mikro-orm/core)`, { cause });
  }
}
