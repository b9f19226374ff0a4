import { dirname } from "node:path";

/**
 * The TLS settings a `postgres://` URL asks for (`sslmode`, `ssl`, `sslrootcert`, ...), read the
 * way `pg` reads its own `connectionString`; undefined when the URL says nothing about TLS.
 *
 * MikroORM takes host, port, user, password, database and `schema` from a client URL and drops the
 * rest, so `?sslmode=require` connected in plaintext. The parser is the one the installed `pg`
 * uses, so a URL means here what it means to `new pg.Pool({ connectionString })`.
 */
export function sslOfUrl(url: string): unknown {
  const pgDir = dirname(require.resolve("pg"));
  const { parse } = require(require.resolve("pg-connection-string", { paths: [pgDir] })) as { parse(url: string): { ssl?: unknown } };
  return parse(url).ssl;
}
