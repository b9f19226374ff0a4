import type { Options } from "@mikro-orm/core";
import type { ConnectionOptions as TlsOptions } from "node:tls";
import { sessionSetup } from "./sessionSetup";

/** The two MikroORM drivers for the MySQL family: `mysql` is mysql2, `mariadb` the MariaDB connector. */
export type MySqlFamily = "mysql" | "mariadb";

export const MYSQL_PACKAGES: Record<MySqlFamily, string> = { mysql: "@mikro-orm/mysql", mariadb: "@mikro-orm/mariadb" };

export interface MySqlLimits {
  acquireTimeoutMillis: number;
  statementTimeoutMillis: number;
  queryTimeoutMillis: number;
  connectTimeoutMillis: number;
}

/**
 * MikroORM options for a MySQL or MariaDB database the kit opens and owns:
 * - `forceUtcTimezone`: the driver writes and MikroORM reads DATETIME values as UTC;
 * - `utf8mb4`; no `collate` here: tables the kit creates get the server's NO PAD binary one, so
 *   tokens and e-mails compare exactly as on PostgreSQL (the server's default `_ci` collation would
 *   make `ABC` and `abc` the same session token). `synchronize` sets it once it knows the server
 *   (`exactCollation.ts`), the migrations name it themselves;
 * - a connect timeout, a pool acquire timeout, and the session setup (UTC, strict mode, statement
 *   limit) on every pooled connection. The client-side timeout is the dialect executor's;
 * - mysql2 hands DATETIME values back as Dates (MikroORM asks it for text, `dateStrings`, and then
 *   parses that text: about 1 µs per row of a session and its user). With `timezone: 'Z'` mysql2
 *   reads them as UTC, as MikroORM's parsing did, and MikroORM's row mapper keeps a Date as it is;
 * - TLS when asked for: mysql2 wants options (`{}` verifies with Node's CAs; it fails on `true`),
 *   the MariaDB connector takes either.
 */
export function mysqlOptions(driver: NonNullable<Options["driver"]>, family: MySqlFamily, connection: Options, limits: MySqlLimits, ssl?: boolean | TlsOptions): Options {
  const clean = Object.fromEntries(Object.entries(connection).filter(([, v]) => v !== undefined)) as Options;
  return {
    driver,
    ...clean,
    forceUtcTimezone: true,
    charset: "utf8mb4",
    pool: { acquireTimeoutMillis: limits.acquireTimeoutMillis, afterCreate: sessionSetup(limits.statementTimeoutMillis) } as Options["pool"],
    driverOptions: {
      connection: {
        connectTimeout: limits.connectTimeoutMillis,
        ...(family === "mysql" && { dateStrings: false }),
        ...(ssl !== undefined && ssl !== false && { ssl: ssl === true && family === "mysql" ? {} : ssl }),
      },
    },
  };
}
