/**
 * The prepared statements the kit holds on a MySQL-family connection, with each real connector
 * against the MariaDB server: bounded however many distinct texts run (an app's `onQuery` may add
 * a unique trace comment to each), each still answering with its own values.
 */
import * as mariadbCallback from "mariadb/callback";
import { createConnection } from "mysql2";
import { executePrepared, HELD_PER_CONNECTION, type PreparingConnection } from "../../src/persistence/mikro-orm/dialects/mysql/preparedStatements";
import { MARIADB_SERVER } from "../support/mariadb";

interface CallbackConnection extends PreparingConnection {
  query(sql: string, callback: (error: Error | null, rows?: unknown) => void): unknown;
  end(callback?: () => void): unknown;
  /** MariaDB connector: COM_RESET_CONNECTION, which drops the session's prepared statements. */
  reset?(callback: (error: Error | null) => void): unknown;
}

/** Makes the server forget the statement behind `sql`'s handle, as other code on the connection could. */
function forget(connection: CallbackConnection, sql: string): Promise<void> {
  if (connection.unprepare) {
    connection.unprepare(sql); // mysql2: closes it on the server and drops it from mysql2's cache
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => connection.reset!((error) => (error ? reject(error) : resolve())));
}

const url = new URL(MARIADB_SERVER);
const where = { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username) || "root", password: decodeURIComponent(url.password) };

const connectors: Array<[string, () => Promise<CallbackConnection>]> = [
  [
    "mysql2",
    () =>
      new Promise((resolve, reject) => {
        const connection = createConnection(where);
        connection.connect((error) => (error ? reject(error) : resolve(connection as unknown as CallbackConnection)));
      }),
  ],
  [
    "mariadb",
    () =>
      new Promise((resolve, reject) => {
        const connection = mariadbCallback.createConnection(where) as unknown as CallbackConnection & { connect(callback: (error: Error | null) => void): void };
        connection.connect((error) => (error ? reject(error) : resolve(connection)));
      }),
  ],
];

const run = (connection: CallbackConnection, sql: string, values: unknown[]) =>
  new Promise<unknown>((resolve, reject) => executePrepared(connection, sql, values, (error, result) => (error ? reject(error) : resolve(result))));

/** Statements this session prepared and has not closed, as the server counts them. */
async function openOnServer(connection: CallbackConnection): Promise<number> {
  const rows = await new Promise<Array<Record<string, unknown>>>((resolve, reject) =>
    connection.query("show session status where Variable_name in ('Com_stmt_prepare', 'Com_stmt_close')", (error, result) => (error ? reject(error) : resolve(result as never))),
  );
  const count = (name: string) => Number(rows.find((row) => Object.values(row).includes(name))?.[Object.keys(rows[0]!)[1]!]);
  return count("Com_stmt_prepare") - count("Com_stmt_close");
}

test.each(connectors)("%s: a connection holds a bounded number of prepared statements, and each answers with its own values", async (_name, connect) => {
  const connection = await connect();
  try {
    const texts = 3 * HELD_PER_CONNECTION;
    for (let n = 0; n < texts; n++) {
      const rows = (await run(connection, `select ? as v /* trace ${n} */`, [`value-${n}`])) as Array<{ v: string }>;
      expect(rows.map((row) => row.v)).toEqual([`value-${n}`]);
    }
    // Held statements answer again, with new values.
    const last = (await run(connection, `select ? as v /* trace ${texts - 1} */`, ["again"])) as Array<{ v: string }>;
    expect(last.map((row) => row.v)).toEqual(["again"]);
    const open = await openOnServer(connection);
    expect(open).toBeGreaterThan(0);
    // Without the bound, all 768 would still be prepared on the server.
    expect(open).toBeLessThanOrEqual(HELD_PER_CONNECTION);
  } finally {
    await new Promise<void>((resolve) => connection.end(() => resolve()));
  }
});

test.each(connectors)("%s: a held statement the server no longer knows is prepared again, and answers", async (_name, connect) => {
  const connection = await connect();
  try {
    const sql = "select ? as v /* forgotten */";
    expect(((await run(connection, sql, ["first"])) as Array<{ v: string }>).map((row) => row.v)).toEqual(["first"]);
    await forget(connection, sql);
    expect(((await run(connection, sql, ["second"])) as Array<{ v: string }>).map((row) => row.v)).toEqual(["second"]);
    expect(((await run(connection, sql, ["third"])) as Array<{ v: string }>).map((row) => row.v)).toEqual(["third"]);
  } finally {
    await new Promise<void>((resolve) => connection.end(() => resolve()));
  }
});
