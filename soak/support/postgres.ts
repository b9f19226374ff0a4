/**
 * The soak's databases: created fresh for the run, on loopback, all dropped at the end. PostgreSQL
 * by default; MariaDB with `--database mariadb` (see ./mariadb.ts).
 */
import { withClient } from "../../test/support/database";
import { isMariaDbUrl, mariaDbQuery, type MariaDbSoakServer } from "./mariadb";

/** The server (a URL without a database). Override with SOAK_PG. */
export const PG_SERVER = process.env.SOAK_PG ?? "postgresql://postgres@127.0.0.1:5432";

export { withClient };

/**
 * Runs one statement against `url` and returns its rows. On a MariaDB URL the statement is sent as
 * written with `$n` placeholders read as `?` in order (the campaigns write SQL both servers take).
 */
export function query<R = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  if (isMariaDbUrl(url)) return mariaDbQuery<R>(url, sql, params);
  return withClient(url, async (c) => (await c.query(sql, params)).rows as R[]);
}

export interface SoakDatabase {
  name: string;
  url: string;
  kind: "postgresql" | "mariadb";
}

/** The databases of one run: one per campaign, named after the process, dropped by `dropAll()`. */
export class SoakDatabases {
  private readonly created: string[] = [];

  constructor(private readonly maria?: MariaDbSoakServer) {}

  async create(label: string): Promise<SoakDatabase> {
    const name = `nak_soak_${process.pid}_${label.toLowerCase()}`;
    if (this.maria) {
      const db = await this.maria.create(name);
      this.created.push(name);
      return db;
    }
    await withClient(`${PG_SERVER}/postgres`, async (c) => {
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.query(`create database "${name}"`);
    });
    this.created.push(name);
    return { name, url: `${PG_SERVER}/${name}`, kind: "postgresql" };
  }

  async drop(db: SoakDatabase): Promise<void> {
    if (this.maria) {
      await this.maria.drop(db.name);
      this.created.splice(this.created.indexOf(db.name), 1);
      return;
    }
    await withClient(`${PG_SERVER}/postgres`, (c) => c.query(`drop database if exists "${db.name}" with (force)`));
    this.created.splice(this.created.indexOf(db.name), 1);
  }

  async dropAll(): Promise<void> {
    const names = this.created.splice(0);
    if (names.length === 0) return;
    if (this.maria) {
      for (const name of names) await this.maria.drop(name);
      return;
    }
    await withClient(`${PG_SERVER}/postgres`, async (c) => {
      for (const name of names) await c.query(`drop database if exists "${name}" with (force)`);
    });
  }
}

/**
 * Drops the databases of soak runs that are gone (a run killed by its watchdog or by hand leaves
 * its databases behind): their names carry the pid of the run.
 */
export async function dropAbandoned(): Promise<string[]> {
  const rows = await query<{ datname: string }>(`${PG_SERVER}/postgres`, "select datname from pg_database where datname like 'nak\\_soak\\_%'");
  const abandoned = rows.map((r) => r.datname).filter((name) => {
    const pid = Number(/^nak_soak_(\d+)_/.exec(name)?.[1]);
    return Number.isSafeInteger(pid) && pid !== process.pid && !alive(pid);
  });
  if (abandoned.length > 0) {
    await withClient(`${PG_SERVER}/postgres`, async (c) => {
      for (const name of abandoned) await c.query(`drop database if exists "${name}" with (force)`);
    });
  }
  return abandoned;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The server's version string, for the report. */
export async function serverVersion(): Promise<string> {
  const [row] = await query<{ server_version: string }>(`${PG_SERVER}/postgres`, "show server_version");
  return row?.server_version ?? "unknown";
}
