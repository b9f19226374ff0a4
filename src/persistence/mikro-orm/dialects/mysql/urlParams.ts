import type { ConnectionOptions as TlsOptions } from "node:tls";
import { readUrlParameters } from "../../urlParameters";
import { refused, TLS_PARAMETERS, tlsOfMySqlUrl } from "./urlTls";

/** The connect timeout as mysql2 and MariaDB's connector spell it (milliseconds), and as Prisma does (seconds). */
const CONNECT_MILLIS = "connectTimeout";
const CONNECT_SECONDS = "connect_timeout";
const READ = [...TLS_PARAMETERS, CONNECT_MILLIS, CONNECT_SECONDS];

/** Parameters other drivers and tools read from such a URL (mysql2, MariaDB's connector, Prisma, JDBC): named in an error. */
const NAMED_ELSEWHERE = new Set([
  "sslaccept", "sslcert", "sslkey", "sslidentity", "sslpassword", "ssl-cert", "ssl-key", "useSSL", "requireSSL", "verifyServerCertificate",
  "charset", "timezone", "connectionLimit", "connection_limit", "pool_timeout", "socket_timeout", "socketTimeout",
  "allowPublicKeyRetrieval", "multipleStatements", "schema",
  // NextAuth v3 read TypeORM options from its URL's query.
  "entityPrefix", "synchronize",
]);

/** What the kit reads from a `mysql://` or `mariadb://` URL's query (MikroORM drops it). */
export interface MySqlUrlSettings {
  ssl: boolean | TlsOptions | undefined;
  /** One connection attempt's bound; `0` for none; undefined: the kit's. */
  connectTimeoutMillis: number | undefined;
}

/** The URL's TLS (`urlTls.ts`) and connect timeout; any other parameter is refused (`readUrlParameters`). */
export function mysqlUrlSettings(url: string): MySqlUrlSettings {
  const params = readUrlParameters(url, "database", READ, NAMED_ELSEWHERE);
  const millis = whole(params, CONNECT_MILLIS);
  const seconds = whole(params, CONNECT_SECONDS);
  if (millis !== undefined && seconds !== undefined) throw refused("connectTimeout and connect_timeout both set the connect timeout; keep one");
  return { ssl: tlsOfMySqlUrl(params), connectTimeoutMillis: seconds === undefined ? millis : seconds * 1_000 };
}

/** A whole number, never shown. */
function whole(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw refused(`${name} must be a whole number (${name === CONNECT_MILLIS ? "milliseconds" : "seconds"})`);
  return Number(value);
}
