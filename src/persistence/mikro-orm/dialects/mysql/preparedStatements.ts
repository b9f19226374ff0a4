/**
 * Prepared statements the kit holds per pooled connection, on either connector, and executes
 * through their handles.
 *
 * Why through handles:
 * - mysql2's `connection.execute(sql, values)` hands the values to whatever traces the driver: its
 *   own `mysql2:execute` diagnostics channel, and OpenTelemetry's mysql2 instrumentation, which by
 *   default writes them into the span's statement text. A handle's `execute` goes past both, so
 *   no tracer sees a token or an e-mail.
 * - The MariaDB connector's `execute(sql, values, cb)` runs with per-call options, and a command
 *   with options of its own copies the whole connection option object (about 90 properties) first:
 *   about 9 µs of CPU per statement. A handle's `execute` copies nothing.
 *
 * Why bounded: an app's `onQuery` hook may make every text unique (a trace comment), and every
 * unique text is one more statement on the server, up to its `max_prepared_stmt_count` for all
 * clients together. At most HELD_PER_CONNECTION are held per connection (fewer when mysql2's own
 * cache is smaller, so that it never closes one the kit holds), the oldest released first. A
 * connection the kit drops takes its statements along.
 */

type Callback = (error: Error | null, result?: unknown) => void;

/** What either connector's prepare gives back (mysql2's PreparedStatementInfo, MariaDB's PrepareWrapper). */
interface PreparedHandle {
  execute(values: unknown[], callback: Callback): unknown;
  /** MariaDB's only: a handle the connector closed. */
  isClose?(): boolean;
  close(): unknown;
}

/** The part of a pooled connection of either connector this uses. */
export interface PreparingConnection {
  prepare(sql: string, callback: (error: Error | null, prepared?: PreparedHandle) => void): unknown;
  /** mysql2's: drops the statement from its own cache and closes it on the server. */
  unprepare?(sql: string): unknown;
  /** mysql2's connection settings. */
  config?: { maxPreparedStatements?: number };
}

export const HELD_PER_CONNECTION = 256;

const held = new WeakMap<object, Map<string, PreparedHandle>>();

function limit(connection: PreparingConnection): number {
  const driverCache = connection.config?.maxPreparedStatements;
  return typeof driverCache === "number" && driverCache > 0 ? Math.min(HELD_PER_CONNECTION, driverCache) : HELD_PER_CONNECTION;
}

/** Closes a statement the kit no longer holds: through mysql2's cache when it has one. */
function release(connection: PreparingConnection, sql: string, handle: PreparedHandle): void {
  if (typeof connection.unprepare === "function") connection.unprepare(sql);
  else handle.close();
}

/**
 * The server no longer knows a statement the kit still holds: something else on the connection
 * released it (mysql2's own cache evicting, a `changeUser`, a MariaDB connection reset).
 * ER_UNKNOWN_STMT_HANDLER (MySQL and MariaDB), ER_PREPARE_CLOSED (the MariaDB connector).
 */
const GONE = new Set([1243, 45051]);

const isGone = (error: Error | null) => error !== null && GONE.has(Number((error as { errno?: unknown }).errno));

/** Runs `sql` as a prepared statement on `connection`, preparing it the first time. */
export function executePrepared(connection: PreparingConnection, sql: string, values: unknown[], callback: Callback): void {
  const known = held.get(connection)?.get(sql);
  if (!known || known.isClose?.()) {
    prepareAndExecute(connection, sql, values, callback);
    return;
  }
  known.execute(values, (error, result) => {
    if (!isGone(error)) return callback(error, result);
    // Prepared again, once: a statement that fails so twice is a real error.
    if (held.get(connection)?.get(sql) === known) held.get(connection)!.delete(sql);
    prepareAndExecute(connection, sql, values, callback);
  });
}

function prepareAndExecute(connection: PreparingConnection, sql: string, values: unknown[], callback: Callback): void {
  connection.prepare(sql, (error, prepared) => {
    if (error || !prepared) {
      callback(error ?? new Error("the connector prepared nothing"));
      return;
    }
    let statements = held.get(connection);
    if (!statements) held.set(connection, (statements = new Map()));
    const previous = statements.get(sql);
    // Two prepares of one text (the MariaDB connector hands out a wrapper each): keep one.
    if (previous && previous !== prepared) previous.close();
    statements.delete(sql);
    statements.set(sql, prepared);
    if (statements.size > limit(connection)) {
      const [oldestSql, oldest] = statements.entries().next().value!;
      statements.delete(oldestSql);
      release(connection, oldestSql, oldest);
    }
    prepared.execute(values, callback);
  });
}
