/**
 * What every connection the kit opens to MySQL or MariaDB runs once, before it serves a call:
 * - `time_zone = '+00:00'`: TIMESTAMP columns and NOW() read and write UTC whatever the server's
 *   zone (DATETIME(3) columns are written as UTC text by the driver, `timezone: 'Z'`);
 * - `STRICT_ALL_TABLES` added to the server's `sql_mode`: a value too long for its column fails
 *   (errno 1406) instead of being cut;
 * - a server-side statement limit: `max_statement_time` (seconds, every statement) on MariaDB,
 *   `max_execution_time` (milliseconds, SELECT only) on MySQL.
 * Which server it is comes from `version()` (a MariaDB server answers with "MariaDB" in it), not
 * from the driver: the mysql2 driver talks to MariaDB servers too.
 */

/** The part of a mysql2 or mariadb (callback API) connection this uses. */
interface CallbackConnection {
  query(sql: string, callback: (error: Error | null, rows?: unknown) => void): unknown;
}

function query(connection: CallbackConnection, sql: string): Promise<unknown> {
  return new Promise((resolve, reject) => connection.query(sql, (error, rows) => (error ? reject(error) : resolve(rows))));
}

/** True when a `version()` string is a MariaDB server's. */
export function isMariaDbVersion(version: string): boolean {
  return /mariadb/i.test(version);
}

/** The session settings for a server, as one SET (no caller value in it: numbers are the kit's own). */
export function sessionSettingsSql(mariadb: boolean, statementTimeoutMillis: number): string {
  const limit = mariadb
    ? `max_statement_time = ${(statementTimeoutMillis / 1000).toFixed(3)}`
    : `max_execution_time = ${Math.round(statementTimeoutMillis)}`;
  return `set session time_zone = '+00:00', sql_mode = concat_ws(',', @@session.sql_mode, 'STRICT_ALL_TABLES'), ${limit}`;
}

/** A knex pool `afterCreate` hook applying the settings above to each new connection. */
export function sessionSetup(statementTimeoutMillis: number) {
  return (connection: CallbackConnection, done: (error: Error | null, connection: unknown) => void): void => {
    (async () => {
      const rows = (await query(connection, "select version() as v")) as Array<{ v: string }>;
      await query(connection, sessionSettingsSql(isMariaDbVersion(String(rows[0]?.v ?? "")), statementTimeoutMillis));
    })().then(
      () => done(null, connection),
      (error: Error) => done(error, connection),
    );
  };
}
