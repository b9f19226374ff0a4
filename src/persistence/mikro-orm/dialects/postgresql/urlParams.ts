import { checkIdentifier } from "../../entities/createEntities";
import { readUrlParameters } from "../../urlParameters";

/** TLS parameters: read by `sslOfUrl` through pg's own parser. */
const TLS = ["sslmode", "ssl", "sslrootcert", "sslcert", "sslkey", "uselibpqcompat"];
/** Session settings `pg` sends at connect, handed to it as given (MikroORM drops them). */
const SESSION = ["application_name", "fallback_application_name", "options"];
/** MikroORM reads `schema` from the URL itself. */
const READ = [...TLS, ...SESSION, "schema"];

/** Parameters other drivers and tools put in such a URL (Prisma, libpq, JDBC): named in an error. */
const NAMED_ELSEWHERE = new Set([
  "connection_limit", "pool_timeout", "pgbouncer", "socket_timeout", "sslaccept", "sslidentity", "sslpassword",
  "connect_timeout", "statement_timeout", "query_timeout", "lock_timeout", "idle_in_transaction_session_timeout", "client_encoding",
  "keepalives", "keepalives_idle", "target_session_attrs", "host", "port", "dbname", "user", "password", "currentSchema", "search_path",
  // NextAuth v3 read TypeORM options from its URL's query.
  "entityPrefix", "synchronize",
]);

/**
 * The session settings a `postgres://` URL carries, as `pg` connection options (MikroORM drops
 * them: `options=-c search_path=auth` was lost); any parameter the kit does not read is refused.
 */
export function pgUrlSettings(url: string, where: string): Record<string, string> {
  const params = readUrlParameters(url, where, READ, NAMED_ELSEWHERE);
  const schema = params.get("schema");
  if (schema !== null) checkIdentifier("schema", schema, where);
  const settings: Record<string, string> = {};
  for (const name of SESSION) {
    const value = params.get(name);
    if (value !== null) settings[name] = value;
  }
  return settings;
}
