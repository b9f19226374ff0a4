/** The soak on MariaDB (`--database mariadb`): its databases, plain SQL, and the fault it injects (KILL CONNECTION). */
import { killConnections, MARIADB_SERVER, withMariaDb } from "../../test/support/mariadb";
import type { SoakDatabase } from "./postgres";

export function isMariaDbUrl(url: string): boolean {
  return /^(mysql|mariadb):\/\//i.test(url);
}

/** One statement on a short-lived mysql2 connection; `$1`, `$2`... are read as `?` in order. */
export function mariaDbQuery<R>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  return withMariaDb(url.replace(/^mariadb:/i, "mysql:"), async (c) => (await c.query(sql.replace(/\$\d+/g, "?"), params))[0] as R[]);
}

/** Creates and drops the run's databases on the MariaDB server; the kit reaches them through `driver`. */
export class MariaDbSoakServer {
  constructor(readonly driver: "mariadb" | "mysql" = "mariadb") {}

  async create(name: string): Promise<SoakDatabase> {
    await withMariaDb(MARIADB_SERVER, async (c) => {
      await c.query(`drop database if exists \`${name}\``);
      await c.query(`create database \`${name}\``);
    });
    return { name, url: `${this.driver}://${MARIADB_SERVER.replace(/^[a-z]+:\/\//i, "")}/${name}`, kind: "mariadb" };
  }

  drop(name: string): Promise<void> {
    return withMariaDb(MARIADB_SERVER, (c) => c.query(`drop database if exists \`${name}\``)).then(() => undefined);
  }
}

/** Drops the MariaDB databases of soak runs that are gone (their names carry the pid of the run). */
export async function dropAbandonedMariaDb(): Promise<string[]> {
  const rows = await mariaDbQuery<{ name: string }>(MARIADB_SERVER, "select schema_name as name from information_schema.schemata where schema_name like 'nak\\_soak\\_%'");
  const abandoned = rows.map((r) => r.name).filter((name) => {
    const pid = Number(/^nak_soak_(\d+)_/.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== "EPERM";
    }
  });
  for (const name of abandoned) await withMariaDb(MARIADB_SERVER, (c) => c.query(`drop database if exists \`${name}\``));
  return abandoned;
}

/** `KILL CONNECTION` for every session on `database`: what campaign 4 does to MariaDB. */
export const killBackends = killConnections;

/** The server's version string, for the report. */
export async function mariaDbVersion(): Promise<string> {
  const [row] = await mariaDbQuery<{ v: string }>(MARIADB_SERVER, "select version() as v");
  return row?.v ?? "unknown";
}
