import type { Client } from "pg";
import { withClient } from "../../test/support/database";

/** The PostgreSQL server the benchmark uses (loopback). Override with BENCH_PG (a URL without a database). */
export const PG_SERVER = process.env.BENCH_PG ?? "postgresql://postgres@127.0.0.1:5432";

export { withClient };

export interface BenchDatabase {
  name: string;
  url: string;
}

/**
 * The databases of one run, created fresh (named after the process) and all dropped by
 * `dropAll()`, so a run never sees another run's rows.
 */
export class BenchDatabases {
  private readonly created: string[] = [];

  async create(label: string): Promise<BenchDatabase> {
    const name = `nak_bench_${process.pid}_${label}`;
    await withClient(`${PG_SERVER}/postgres`, async (c) => {
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.query(`create database "${name}"`);
    });
    this.created.push(name);
    return { name, url: `${PG_SERVER}/${name}` };
  }

  async dropAll(): Promise<void> {
    const names = this.created.splice(0);
    if (names.length === 0) return;
    await withClient(`${PG_SERVER}/postgres`, async (c) => {
      for (const name of names) {
        await untilDisconnected(c, name);
        await c.query(`drop database if exists "${name}" with (force)`);
      }
    });
  }
}

/**
 * pg-pool's `end()` resolves once its clients are told to end, before their sessions are gone; a
 * forced drop then terminates them, and a pg client whose pool has let go of it throws that error
 * out of the process. So wait (briefly) for the run's own connections to leave first.
 */
async function untilDisconnected(c: Client, name: string): Promise<void> {
  for (let waited = 0; waited < 2000; waited += 20) {
    const { rows } = await c.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
    if (rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
