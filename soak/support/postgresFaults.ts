/** The faults campaign 4 injects into PostgreSQL: killing a database's backends, and (opt-in) restarting the server. */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import { PG_SERVER, withClient } from "./postgres";

/** Terminates every backend connected to `database` (from an admin connection to another database); returns how many. */
export async function terminateBackends(database: string): Promise<number> {
  return withClient(`${PG_SERVER}/postgres`, async (c) => {
    const { rows } = await c.query<{ n: string }>(
      "select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
      [database],
    );
    return Number(rows[0]?.n ?? 0);
  });
}

/**
 * Stops (SIGSTOP) every backend process connected to `database` for `ms`, then lets them go on:
 * the server holds the connections open but answers nothing, as a hung host or a network path
 * that drops packets would. Needs the right to signal the server's processes (root, on loopback).
 */
export async function freezeBackends(database: string, ms: number): Promise<number> {
  const pids = await withClient(`${PG_SERVER}/postgres`, async (c) =>
    (await c.query<{ pid: number }>("select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [database])).rows.map((r) => r.pid),
  );
  for (const pid of pids) process.kill(pid, "SIGSTOP");
  try {
    await new Promise((resolve) => setTimeout(resolve, ms));
  } finally {
    for (const pid of pids) process.kill(pid, "SIGCONT");
  }
  return pids.length;
}

/** Client connections to databases other than `own` (a restart would break them). */
export async function otherClients(own: string): Promise<string[]> {
  return withClient(`${PG_SERVER}/postgres`, async (c) => {
    const { rows } = await c.query<{ datname: string; application_name: string; n: string }>(
      `select datname, application_name, count(*) as n from pg_stat_activity
       where backend_type = 'client backend' and pid <> pg_backend_pid() and datname is distinct from $1
       group by datname, application_name`,
      [own],
    );
    return rows.map((r) => `${r.datname ?? "?"} (${r.application_name || "no application_name"}): ${r.n}`);
  });
}

/**
 * Restarts the local cluster with pg_ctlcluster (which waits until the server accepts
 * connections again). Only for loopback runs on a machine where the soak may do so.
 */
export async function restartPostgres(): Promise<void> {
  const version = readdirSync("/etc/postgresql")[0];
  if (!version) throw new Error("no cluster under /etc/postgresql");
  await promisify(execFile)("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"], { timeout: 60_000 });
}

/** Resolves when a fresh connection to the server succeeds (polling every 20 ms), with the time it did. */
export async function serverAnswers(limitMs = 60_000): Promise<number> {
  const end = performance.now() + limitMs;
  while (performance.now() < end) {
    try {
      await withClient(`${PG_SERVER}/postgres`, (c) => c.query("select 1"));
      return performance.now();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error(`PostgreSQL did not answer within ${limitMs} ms`);
}
