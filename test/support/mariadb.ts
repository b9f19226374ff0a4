import { randomBytes } from "node:crypto";
import { createConnection, type Connection } from "mysql2/promise";

/** The MariaDB server the tests use (root, no password). Override with KIT_TEST_MARIADB (a URL without a database). */
export const MARIADB_SERVER = process.env.KIT_TEST_MARIADB ?? "mysql://root@127.0.0.1:3306";

/** Runs `fn` on a short-lived connection to `url` (mysql2, text protocol: the tests' own SQL). */
export async function withMariaDb<T>(url: string, fn: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await createConnection({ uri: url, connectTimeout: 5000, timezone: "Z", dateStrings: true });
  try {
    return await fn(connection);
  } finally {
    await connection.end().catch(() => undefined);
  }
}

export interface TestMariaDb {
  name: string;
  /** `mysql://...` (the mysql2 driver). */
  mysqlUrl: string;
  /** `mariadb://...` (the MariaDB connector). */
  mariadbUrl: string;
  drop(): Promise<void>;
}

/**
 * A fresh MariaDB database for one test file (or store set), dropped afterwards. Fails (never
 * skips) when the server is unreachable.
 */
export async function createTestMariaDb(): Promise<TestMariaDb> {
  const name = `kit_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withMariaDb(MARIADB_SERVER, (c) => c.query(`create database \`${name}\` character set utf8mb4`));
  const path = `${MARIADB_SERVER.replace(/^[a-z]+:\/\//, "")}/${name}`;
  return {
    name,
    mysqlUrl: `mysql://${path}`,
    mariadbUrl: `mariadb://${path}`,
    drop: () => withMariaDb(MARIADB_SERVER, (c) => c.query(`drop database if exists \`${name}\``)).then(() => undefined),
  };
}

/** Runs SQL straight against a test database (to read what the kit really stored). */
export async function mariaQuery<R = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  return withMariaDb(url.replace(/^mariadb:/, "mysql:"), async (c) => (await c.query(sql, params))[0] as R[]);
}

/** Ends the server-side connections to `database` other than the caller's (`KILL CONNECTION`): what a failover or an admin does. */
export async function killConnections(database: string): Promise<number> {
  return withMariaDb(MARIADB_SERVER, async (c) => {
    const [rows] = await c.query("select id from information_schema.processlist where db = ? and id <> connection_id()", [database]);
    const ids = (rows as Array<{ id: number }>).map((r) => Number(r.id));
    for (const id of ids) await c.query(`kill connection ${id}`).catch(() => undefined);
    return ids.length;
  });
}
