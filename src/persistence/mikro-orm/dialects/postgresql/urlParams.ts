import { AdapterError, ErrorCode } from "../../../../errors/AdapterError";

/** TLS parameters: read by `sslOfUrl` through pg's own parser. */
const TLS = ["sslmode", "ssl", "sslrootcert", "sslcert", "sslkey", "uselibpqcompat"];
/** Session settings `pg` sends at connect, handed to it as given (MikroORM drops them). */
const SESSION = ["application_name", "fallback_application_name", "options"];
/** MikroORM reads `schema` from the URL itself. */
const READ = [...TLS, ...SESSION, "schema"];

/**
 * Parameters other drivers and tools put in such a URL (Prisma, libpq, JDBC). Only these are named
 * in an error: the URL is secret as a whole, so any other name is not shown.
 */
const NAMED_ELSEWHERE = new Set([
  "connection_limit", "pool_timeout", "pgbouncer", "socket_timeout", "sslaccept", "sslidentity", "sslpassword",
  "connect_timeout", "statement_timeout", "query_timeout", "lock_timeout", "idle_in_transaction_session_timeout", "client_encoding",
  "keepalives", "keepalives_idle", "target_session_attrs", "host", "port", "dbname", "user", "password", "currentSchema", "search_path",
]);

/**
 * The session settings a `postgres://` URL carries, as `pg` connection options; a parameter the
 * kit does not read is refused, naming it only when other tools know it. Dropped, it could be a
 * setting the app relies on (`options=-c search_path=auth`) or TLS spelled another way.
 * `where` names the option in an error, which never shows the URL or a value.
 */
export function pgUrlSettings(url: string, where: string): Record<string, string> {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    throw new AdapterError(ErrorCode.CONFIGURATION, `${where}: the URL could not be parsed; the URL is not shown`);
  }
  const unread = [...new Set(params.keys())].filter((name) => !READ.includes(name));
  if (unread.length > 0) {
    const named = unread.map((name) => (NAMED_ELSEWHERE.has(name) ? `"${name}"` : "(a parameter not shown)"));
    throw new AdapterError(
      ErrorCode.CONFIGURATION,
      `${where}: URL parameter ${named.join(", ")} not read by the kit (it reads ${READ.join(", ")}); pass MikroORM options with driverOptions for other driver settings; the URL is not shown`,
    );
  }
  const settings: Record<string, string> = {};
  for (const name of SESSION) {
    const value = params.get(name);
    if (value !== null) settings[name] = value;
  }
  return settings;
}
