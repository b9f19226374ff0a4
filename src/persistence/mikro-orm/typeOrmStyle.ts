import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import { mysql, postgres, replicaConnections, sqlite, type ReplicaOption, type SslOption } from "./driverOptions";
import type { ResolvedDatabase } from "./resolveDatabase";

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
  /**
   * TLS, as TypeORM passes it to the driver: `true` (verify the server's certificate and name),
   * `false`, or Node's TLS options (`ca`, `cert`, `key`, `rejectUnauthorized`, `servername`...).
   */
  ssl?: SslOption;
  /** PostgreSQL read replicas (see README "Scaling out"). */
  replicas?: ReplicaOption[];
  /** A replica whose view is older than this is not read from (ms). Default 1000. */
  maxReplicaLagMs?: number;
  /** How often replica positions are polled (ms). Default 100. */
  replicaPollMs?: number;
}

/** Every key the object may carry: any other is refused rather than quietly dropped. */
const READ_KEYS: ReadonlySet<string> = new Set<keyof TypeOrmStyleConfig>([
  "type", "database", "host", "port", "username", "password", "url", "schema", "synchronize", "ssl", "replicas", "maxReplicaLagMs", "replicaPollMs",
]);

export function typeOrmStyle(config: TypeOrmStyleConfig, synchronize?: boolean): ResolvedDatabase {
  refuseUnreadKeys(config, READ_KEYS, "the kit's TypeORM-style object");
  const ssl = sslOption(config);
  const sync = synchronize ?? config.synchronize ?? false;
  switch (config.type) {
    case "sqlite":
    case "better-sqlite3":
      if (config.replicas !== undefined) throw new AdapterError(ErrorCode.CONFIGURATION, "database.replicas: read replicas are supported on PostgreSQL only");
      if (ssl !== undefined) throw new AdapterError(ErrorCode.CONFIGURATION, "database.ssl: SQLite is a local file and has no TLS");
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
        ssl,
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
        ssl,
      );
    default:
      throw new AdapterError(ErrorCode.CONFIGURATION, `database.type ${shown((config as { type: unknown }).type)} is not supported: use "postgres", "mysql", "mariadb" or "sqlite"`);
  }
}

/**
 * TypeORM takes many more options (`extra`, `entityPrefix`, `logging`...). Dropping one quietly
 * could mean plaintext where `extra.ssl` asked for TLS, or other tables than `entityPrefix` named.
 */
export function refuseUnreadKeys(config: object, read: ReadonlySet<string>, form: string): void {
  const unread = Object.keys(config).filter((key) => !read.has(key));
  if (unread.length > 0) {
    throw new AdapterError(
      ErrorCode.CONFIGURATION,
      `database: ${unread.map(shown).join(", ")} not read by ${form} (it reads ${[...read].join(", ")}); pass MikroORM options for anything else`,
    );
  }
}

/** `ssl` as the object forms take it: true, false or Node's TLS options. */
export function sslOption(config: { ssl?: unknown }): SslOption | undefined {
  const { ssl } = config;
  if (ssl === undefined || typeof ssl === "boolean" || (ssl !== null && typeof ssl === "object" && !Array.isArray(ssl))) return ssl as SslOption | undefined;
  throw new AdapterError(ErrorCode.CONFIGURATION, "database.ssl must be true, false or TLS options ({ ca, cert, key, rejectUnauthorized, ... })");
}

/** A configuration value quoted in an error only when it is a short plain word (never a URL or a secret). */
function shown(value: unknown): string {
  return typeof value === "string" && /^[A-Za-z0-9_-]{1,20}$/.test(value) ? `"${value}"` : "(not shown)";
}

