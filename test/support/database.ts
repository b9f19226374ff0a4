import { randomBytes } from "node:crypto";
import { Client } from "pg";

/** The server the tests use: a real PostgreSQL. Override with KIT_TEST_PG (a URL without a database). */
export const PG_SERVER = process.env.KIT_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432";

/** Runs `fn` on a short-lived connection to `url` (shared by the tests, the bench and the soak). */
export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const admin = <T>(fn: (client: Client) => Promise<T>) => withClient(`${PG_SERVER}/postgres`, fn);

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh PostgreSQL database for one test file, dropped afterwards, so runs never see each
 * other's rows. Fails (never skips) when PostgreSQL is unreachable.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `kit_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`create database "${name}"`));
  return {
    name,
    url: `${PG_SERVER}/${name}`,
    drop: () => admin((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}

/** Runs SQL straight against a test database (to read what the kit really stored). */
export function query<R extends Record<string, unknown> = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  return withClient(url, async (c) => (await c.query(sql, params)).rows as R[]);
}
