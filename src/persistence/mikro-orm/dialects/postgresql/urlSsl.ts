import { dirname } from "node:path";
import { AdapterError, ErrorCode } from "../../../../errors/AdapterError";

/**
 * The TLS settings a `postgres://` URL asks for (`sslmode`, `ssl`, `sslrootcert`, ...), read the
 * way `pg` reads its own `connectionString`; undefined when the URL says nothing about TLS.
 *
 * MikroORM takes host, port, user, password, database and `schema` from a client URL and drops the
 * rest, so `?sslmode=require` connected in plaintext. The parser is the one the installed `pg`
 * uses, so a URL means here what it means to `new pg.Pool({ connectionString })`. `where` names
 * the option in an error, which never shows the URL or a file path read from it.
 */
export function sslOfUrl(url: string, where: string): unknown {
  let ssl: unknown;
  try {
    const pgDir = dirname(require.resolve("pg"));
    const { parse } = require(require.resolve("pg-connection-string", { paths: [pgDir] })) as { parse(url: string): { ssl?: unknown } };
    ssl = parse(url).ssl;
  } catch {
    throw new AdapterError(
      ErrorCode.CONFIGURATION,
      `${where}: the URL's TLS settings could not be read (a malformed URL, or an sslrootcert, sslcert or sslkey file that is missing or unreadable); the URL is not shown`,
    );
  }
  return ssl === undefined ? undefined : separate(ssl);
}

/**
 * MikroORM deep-merges the primary's driver options into each replica's: a replica's TLS object
 * would keep the primary's `ca`, `cert` or `key` beside its own. An object that is not plain is
 * taken whole.
 */
class UrlTls {}
function separate(ssl: unknown): unknown {
  return ssl !== null && typeof ssl === "object" ? Object.assign(new UrlTls(), ssl) : ssl;
}
