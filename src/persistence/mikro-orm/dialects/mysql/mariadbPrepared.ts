/**
 * Prepared statements the MariaDB connector keeps per connection, held by the kit once prepared.
 *
 * Why: the connector's callback API (the one knex's pool hands out) runs `execute(sql, values, cb)`
 * with per-call options (`metaAsArray`), and a command with options of its own copies the whole
 * connection option object (about 90 properties) first: about 9 µs of CPU per statement. A
 * statement executed through its prepared handle carries no options, so nothing is copied.
 *
 * The handle comes from the connector's own prepare cache (which then never evicts it: it is in
 * use) and lives as long as its connection; a connection the kit drops takes its handles along.
 */

/** What the connector's prepare gives back (its `PrepareWrapper`). */
export interface PreparedHandle {
  execute(values: unknown[], callback: (error: Error | null, result?: unknown) => void): unknown;
  isClose(): boolean;
}

export interface PreparingConnection {
  prepare(sql: string, callback: (error: Error | null, prepared?: PreparedHandle) => void): unknown;
}

const held = new WeakMap<object, Map<string, PreparedHandle>>();

/** Runs `sql` as a prepared statement on `connection`, preparing it the first time. */
export function executePrepared(connection: PreparingConnection, sql: string, values: unknown[], callback: (error: Error | null, result?: unknown) => void): void {
  let statements = held.get(connection);
  const known = statements?.get(sql);
  if (known && !known.isClose()) {
    known.execute(values, callback);
    return;
  }
  connection.prepare(sql, (error, prepared) => {
    if (error || !prepared) {
      callback(error ?? new Error("the connector prepared nothing"));
      return;
    }
    if (!statements) held.set(connection, (statements = new Map()));
    statements.set(sql, prepared);
    prepared.execute(values, callback);
  });
}
