import { AdapterError, ErrorCode } from "../../../../errors/AdapterError";
import { checkIdentifier } from "../../entities/createEntities";
import { readUrlParameters } from "../../urlParameters";
import { statementTimeoutOfOptions } from "./startupOptions";

/** TLS parameters: read by `sslOfUrl` through pg's own parser. */
const TLS = ["sslmode", "ssl", "sslrootcert", "sslcert", "sslkey", "uselibpqcompat"];
/** Session settings `pg` sends at connect, handed to it as given (MikroORM drops them). */
const SESSION = ["application_name", "fallback_application_name", "options"];
/** Timeouts `pg` reads from its own connection string, in whole milliseconds. */
const SERVER_TIMEOUTS = ["lock_timeout", "idle_in_transaction_session_timeout"];
const STATEMENT_TIMEOUT = "statement_timeout";
const QUERY_TIMEOUT = "query_timeout";
/** libpq's, in whole seconds. */
const CONNECT_TIMEOUT = "connect_timeout";
/** MikroORM reads `schema` from the URL itself. */
const READ = [...TLS, ...SESSION, ...SERVER_TIMEOUTS, STATEMENT_TIMEOUT, QUERY_TIMEOUT, CONNECT_TIMEOUT, "schema"];

/** Parameters other drivers and tools put in such a URL (Prisma, libpq, JDBC): named in an error. */
const NAMED_ELSEWHERE = new Set([
  "connection_limit", "pool_timeout", "pgbouncer", "socket_timeout", "sslaccept", "sslidentity", "sslpassword", "client_encoding",
  "keepalives", "keepalives_idle", "target_session_attrs", "host", "port", "dbname", "user", "password", "currentSchema", "search_path",
  // NextAuth v3 read TypeORM options from its URL's query.
  "entityPrefix", "synchronize",
]);

/** The kit's bounds for one connection: a server-side statement timeout and a client-side read timeout above it. */
export interface PgBounds {
  statementTimeoutMillis: number;
  queryTimeoutMillis: number;
  /** How long one connection attempt may take (TCP, TLS, startup) before `pg` gives up and the pool tries again. */
  connectTimeoutMillis: number;
}

/**
 * The `pg` connection options for a primary or a replica: the kit's bounds, and what a
 * `postgres://` URL says (MikroORM drops its query: `options=-c search_path=auth` was lost). Any
 * parameter the kit does not read is refused.
 *
 * A statement timeout the URL sets (`statement_timeout=5000`, or `-c statement_timeout=5s` in
 * `options`) replaces the kit's, and the client-side timeout follows it with the same margin, so
 * the server still cancels first; `0` turns both off. `connect_timeout` is libpq's: seconds, at
 * least 2, `0` for none; without it, the kit's bound.
 */
export function pgConnectionSettings(url: string | undefined, where: string, bounds: PgBounds): Record<string, string | number> {
  const params = url === undefined ? new URLSearchParams() : readUrlParameters(url, where, READ, NAMED_ELSEWHERE);
  const schema = params.get("schema");
  if (schema !== null) checkIdentifier("schema", schema, where);
  const settings: Record<string, string | number> = {};
  for (const name of SESSION) {
    const value = params.get(name);
    if (value !== null) settings[name] = value;
  }
  for (const name of SERVER_TIMEOUTS) {
    const value = whole(params, name, where, "milliseconds");
    if (value !== undefined) settings[name] = value;
  }
  // Without a bound, one attempt on a server that accepts and never answers holds its pool slot for good.
  const connect = whole(params, CONNECT_TIMEOUT, where, "seconds");
  const connectMillis = connect === undefined ? bounds.connectTimeoutMillis : connect === 0 ? 0 : Math.max(connect, 2) * 1_000;
  if (connectMillis > 0) settings.connectionTimeoutMillis = connectMillis;

  const statement = whole(params, STATEMENT_TIMEOUT, where, "milliseconds") ?? statementTimeoutOfOptions(params.get("options"), where);
  const margin = bounds.queryTimeoutMillis - bounds.statementTimeoutMillis;
  settings.statement_timeout = statement ?? bounds.statementTimeoutMillis;
  settings.query_timeout = whole(params, QUERY_TIMEOUT, where, "milliseconds") ?? (statement === undefined ? bounds.queryTimeoutMillis : statement === 0 ? 0 : statement + margin);
  return settings;
}

/** A parameter that must be a whole number; the value is never shown. */
function whole(params: URLSearchParams, name: string, where: string, unit: string): number | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new AdapterError(ErrorCode.CONFIGURATION, `${where}: URL parameter "${name}" must be a whole number of ${unit}; the URL is not shown`);
  return Number(value);
}
