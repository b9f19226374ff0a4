import type { Options } from "@mikro-orm/core";
import type { ConnectionOptions as TlsOptions } from "node:tls";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import { checkIdentifier } from "./entities/createEntities";
import { pgConnectionSettings } from "./dialects/postgresql/urlParams";
import { sslOfUrl } from "./dialects/postgresql/urlSsl";
import { MYSQL_PACKAGES, mysqlOptions, type MySqlFamily } from "./dialects/mysql/mysqlOptions";
import { mysqlUrlSettings } from "./dialects/mysql/urlParams";
import { matchingOrmPackage } from "./ormVersions";
import type { ResolvedDatabase } from "./resolveDatabase";

/** The MikroORM options the kit builds for each driver it opens, with its connection bounds. */

export const PG_URL = /^postgres(ql)?:\/\//i;

/** TLS as the TypeORM-style object gives it: on (verifying), off, or Node's TLS options. */
export type SslOption = boolean | TlsOptions;

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
export const REPLICA_CONNECTION_DEFAULTS = { acquireTimeoutMillis: 1_000, statementTimeoutMillis: 1_000, queryTimeoutMillis: 1_200, connectTimeoutMillis: 2_000 };

/** One read replica: a `postgres://` URL, or its connection fields (missing ones come from the primary). */
export type ReplicaOption = string | { url?: string; host?: string; port?: number; database?: string; username?: string; password?: string; name?: string };

/** The `replicas` entry as MikroORM's replica connection options, with the replica timeouts. */
export function replicaConnections(replicas: ReplicaOption[] | undefined): Options["replicas"] {
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
    // A replica URL's own TLS and session settings; one that says nothing keeps the primary's.
    const where = `database.replicas[${index}]`;
    const url = typeof defined.clientUrl === "string" ? defined.clientUrl : undefined;
    const settings = pgConnectionSettings(url, where, REPLICA_CONNECTION_DEFAULTS);
    const ssl = url === undefined ? undefined : sslOfUrl(url, where);
    return {
      ...defined,
      pool: { acquireTimeoutMillis: REPLICA_CONNECTION_DEFAULTS.acquireTimeoutMillis },
      driverOptions: { connection: { ...settings, ...(ssl !== undefined && { ssl }) } },
    };
  });
}

export function postgres(options: Options, synchronize: boolean, given?: SslOption): ResolvedDatabase {
  const { PostgreSqlDriver } = loadDriver("@mikro-orm/postgresql", "PostgreSQL", () => require("@mikro-orm/postgresql")) as typeof import("@mikro-orm/postgresql");
  const clean = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Options;
  // The schema reaches SQL text (the kit's statements, the migrations' search_path).
  if (clean.schema !== undefined) checkIdentifier("schema", clean.schema, "database");
  // The URL's TLS settings (MikroORM would drop them), else the TypeORM-style `ssl`; replicas
  // whose URL has none use them too.
  const url = typeof options.clientUrl === "string" ? options.clientUrl : undefined;
  const settings = pgConnectionSettings(url, "database", CONNECTION_DEFAULTS);
  const ssl = (url === undefined ? undefined : sslOfUrl(url, "database")) ?? given;
  return {
    kind: "options",
    options: {
      driver: PostgreSqlDriver,
      ...clean,
      pool: { acquireTimeoutMillis: CONNECTION_DEFAULTS.acquireTimeoutMillis },
      driverOptions: { connection: { ...settings, ...(ssl !== undefined && { ssl }) } },
    },
    synchronize,
    embedded: false,
  };
}

/** MySQL through mysql2 (`@mikro-orm/mysql`) or MariaDB's connector (`@mikro-orm/mariadb`). */
export function mysql(family: MySqlFamily, connection: Options, synchronize: boolean, given?: SslOption): ResolvedDatabase {
  const pkg = MYSQL_PACKAGES[family];
  const driver =
    family === "mysql"
      ? (loadDriver(pkg, "MySQL", () => require("@mikro-orm/mysql")) as typeof import("@mikro-orm/mysql")).MySqlDriver
      : (loadDriver(pkg, "MariaDB", () => require("@mikro-orm/mariadb")) as typeof import("@mikro-orm/mariadb")).MariaDbDriver;
  // The URL's TLS settings and connect timeout (MikroORM would drop them), else the TypeORM-style `ssl` and the kit's bound.
  const url = typeof connection.clientUrl === "string" ? mysqlUrlSettings(connection.clientUrl) : undefined;
  const limits = { ...CONNECTION_DEFAULTS, connectTimeoutMillis: url?.connectTimeoutMillis ?? CONNECTION_DEFAULTS.connectTimeoutMillis };
  return { kind: "options", options: mysqlOptions(driver, family, connection, limits, url?.ssl ?? given), synchronize, embedded: false };
}

export function sqlite(dbName: string, synchronize: boolean, embedded: boolean): ResolvedDatabase {
  const { BetterSqliteDriver } = loadDriver("@mikro-orm/better-sqlite", "SQLite", () => require("@mikro-orm/better-sqlite")) as typeof import("@mikro-orm/better-sqlite");
  return { kind: "options", options: { driver: BetterSqliteDriver, dbName }, synchronize, embedded };
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
