/** Where the examples that need PostgreSQL keep their data. */
import { Client } from "pg";

/**
 * `DATABASE_URL` when set; otherwise `nak_example_<name>` on the local server, created when missing,
 * so `npm run example -- <name>` works on a fresh machine with only PostgreSQL running.
 */
export async function exampleDatabase(name: string): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const database = `nak_example_${name.replace(/\W/g, "_")}`;
  const server = "postgresql://postgres@127.0.0.1:5432";
  const admin = new Client({ connectionString: `${server}/postgres`, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [database]);
    if (!rowCount) await admin.query(`create database "${database}"`);
  } catch (error) {
    // Two runs racing to create it: the other one won, which is all we wanted.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await admin.end();
  }
  return `${server}/${database}`;
}

/** Runs one SQL statement on its own connection: how the examples show what really is in PostgreSQL. */
export async function sql<R = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as R[];
  } finally {
    await client.end();
  }
}
