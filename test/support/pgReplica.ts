/**
 * A PostgreSQL primary and one streaming replica of a test's (or the soak's) own: `initdb`,
 * `pg_basebackup -R` and `pg_ctl` on free loopback ports in a temporary folder, run as the
 * `postgres` OS user when we are root (PostgreSQL refuses to run as root). The machine's shared
 * server (5432) and its configuration are never touched.
 *
 * Everything is removed by `destroy()` (call it in afterAll), and also when the process exits
 * without it (a failed or interrupted run): an exit hook stops both servers and deletes the folder,
 * and the next start sweeps folders whose owning process is gone (a run killed with SIGKILL).
 */
import { execFile, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { withClient } from "./database";
import { freePort } from "./redisServer";

const run = promisify(execFile);
const PREFIX = "kit-pgreplica-";

/** Runs a PostgreSQL binary as the postgres OS user when we are root, else as ourselves. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

async function pg(command: string, args: string[]): Promise<string> {
  const [file, argv] = asPostgres(command, args);
  try {
    const { stdout } = await run(file, argv, { timeout: 60_000 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed: ${e.stderr || e.message}`);
  }
}

function pgSync(command: string, args: string[]): void {
  const [file, argv] = asPostgres(command, args);
  spawnSync(file, argv, { stdio: "ignore", timeout: 20_000 });
}

/** Owned by the postgres user, so the servers can write there. */
function ownFolder(path: string): void {
  if (process.getuid?.() !== 0) return;
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"]).stdout.toString().trim());
  chownSync(path, id("-u"), id("-g"));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Folders left by a run that was killed outright: stop their servers and remove them. */
function sweepAbandoned(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const folder = join(tmpdir(), name);
    const owner = Number(readFileSafe(join(folder, "owner.pid")));
    if (owner && alive(owner)) continue;
    for (const data of ["primary", "replica"]) if (existsSync(join(folder, data, "postmaster.pid"))) pgSync("pg_ctl", ["stop", "-D", join(folder, data), "-m", "immediate"]);
    rmSync(folder, { recursive: true, force: true });
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

const live = new Set<PgReplicaSet>();
process.once("exit", () => {
  for (const set of live) set.destroySync();
});

/** Settings for throwaway clusters: fast start, no durability. */
const COMMON = [
  "listen_addresses = '127.0.0.1'",
  "fsync = off",
  "synchronous_commit = off",
  "full_page_writes = off",
  "shared_buffers = 16MB",
  "max_connections = 40",
  "max_wal_senders = 4",
  "wal_keep_size = 64MB",
  "hot_standby = on",
  // With a delayed apply, a long replica query must not be cancelled by a conflict.
  "max_standby_streaming_delay = -1",
  "log_min_messages = warning",
  "include_if_exists = 'kit_delay.conf'",
  "include_if_exists = 'kit_port.conf'",
];

export interface PgReplicaSetOptions {
  /** The database created on the primary (and so on the replica). Default `kit`. */
  database?: string;
  /** Initial `recovery_min_apply_delay` on the replica, in ms. Default 0. */
  applyDelayMs?: number;
}

export class PgReplicaSet {
  private destroyed = false;
  private replicaRunning = true;

  private constructor(
    readonly folder: string,
    private ports: { primary: number; replica: number },
    readonly database: string,
  ) {}

  get primaryPort(): number {
    return this.ports.primary;
  }
  get replicaPort(): number {
    return this.ports.replica;
  }

  static async start(options: PgReplicaSetOptions = {}): Promise<PgReplicaSet> {
    sweepAbandoned();
    const folder = mkdtempSync(join(tmpdir(), PREFIX));
    writeFileSync(join(folder, "owner.pid"), String(process.pid));
    ownFolder(folder);
    const set = new PgReplicaSet(folder, { primary: await freePort(), replica: await freePort() }, options.database ?? "kit");
    live.add(set);
    try {
      await set.init(options.applyDelayMs ?? 0);
    } catch (error) {
      await set.destroy();
      throw error;
    }
    return set;
  }

  private get primaryData() {
    return join(this.folder, "primary");
  }
  private get replicaData() {
    return join(this.folder, "replica");
  }

  private async init(applyDelayMs: number): Promise<void> {
    await pg("initdb", ["-D", this.primaryData, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
    this.appendConf(this.primaryData, [...COMMON, `unix_socket_directories = '${this.folder}'`]);
    await this.startOnFreePort("primary");
    await withClient(this.url("postgres", "primary"), (c) => c.query(`create database "${this.database}"`));
    await pg("pg_basebackup", ["-h", "127.0.0.1", "-p", String(this.primaryPort), "-U", "postgres", "-D", this.replicaData, "-R", "-X", "stream", "--no-sync", "-c", "fast"]);
    this.writeDelay(applyDelayMs);
    await this.startOnFreePort("replica");
    await this.waitForReplay();
  }

  /**
   * Starts a node on its port. A free port can be taken by another process before the server binds
   * it (another test's server, or a client's outgoing connection); then the node moves to a new free
   * port, up to three times. Any other failure is thrown with the end of the server's log.
   */
  private async startOnFreePort(node: "primary" | "replica"): Promise<void> {
    const data = node === "primary" ? this.primaryData : this.replicaData;
    for (let attempt = 1; ; attempt++) {
      // The port in a file of its own, included last: a retry rewrites it, and the replica's copy of
      // the primary's file is overridden.
      writeFileSync(join(data, "kit_port.conf"), `port = ${this.ports[node]}\n`);
      ownFolder(join(data, "kit_port.conf"));
      try {
        await this.ctl(data, "start");
        return;
      } catch (error) {
        const log = readFileSafe(join(data, "server.log"));
        if (attempt < 3 && /could not (bind|create listen socket)|Address already in use/i.test(log)) {
          this.ports[node] = await freePort();
          rmSync(join(data, "server.log"), { force: true });
          continue;
        }
        throw new Error(`${(error as Error).message}\n${node} server.log (end):\n${log.split("\n").slice(-15).join("\n")}`);
      }
    }
  }

  private appendConf(data: string, lines: string[]): void {
    const path = join(data, "postgresql.conf");
    writeFileSync(path, `${readFileSync(path, "utf8")}\n${lines.join("\n")}\n`);
  }

  private writeDelay(ms: number): void {
    const path = join(this.replicaData, "kit_delay.conf");
    writeFileSync(path, `recovery_min_apply_delay = '${Math.max(0, Math.floor(ms))}ms'\n`);
    ownFolder(path);
  }

  private async ctl(data: string, action: "start" | "stop" | "reload"): Promise<void> {
    const args = ["-D", data, "-w", "-t", "60"];
    if (action === "start") args.push("-l", join(data, "server.log"));
    if (action === "stop") args.push("-m", "fast");
    await pg("pg_ctl", [action, ...args]);
  }

  /** A connection URL for `database` on the primary or the replica. */
  url(database = this.database, node: "primary" | "replica" = "primary"): string {
    return `postgresql://postgres@127.0.0.1:${node === "primary" ? this.primaryPort : this.replicaPort}/${database}`;
  }

  get primaryUrl(): string {
    return this.url(this.database, "primary");
  }
  get replicaUrl(): string {
    return this.url(this.database, "replica");
  }

  /** Sets `recovery_min_apply_delay` on the replica (a reload, no restart). */
  async setApplyDelay(ms: number): Promise<void> {
    this.writeDelay(ms);
    if (this.replicaRunning) await this.ctl(this.replicaData, "reload");
  }

  /** Waits until the replica has replayed everything the primary has written so far. */
  async waitForReplay(timeoutMs = 30_000): Promise<void> {
    // A commit after the position we read: the replica's replay passes that position only once it
    // has replayed the commit, even when the position sits just past a WAL page header.
    const target = await withClient(this.url("postgres", "primary"), async (c) => {
      const rows = await c.query("begin; select txid_current(); select pg_current_wal_insert_lsn()::text as lsn; commit");
      return (rows as unknown as Array<{ rows: Array<{ lsn?: string }> }>)[2].rows[0].lsn as string;
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const caught = await withClient(this.url("postgres", "replica"), async (c) => (await c.query("select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok", [target])).rows[0].ok as boolean).catch(() => false);
      if (caught) return;
      if (Date.now() > deadline) throw new Error(`replica did not replay ${target} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the replica (fast shutdown: its clients are disconnected). */
  async stopReplica(): Promise<void> {
    this.replicaRunning = false;
    await this.ctl(this.replicaData, "stop");
  }

  /** Starts the replica again on the same port; it resumes streaming from the primary. */
  async startReplica(): Promise<void> {
    await this.ctl(this.replicaData, "start");
    this.replicaRunning = true;
  }

  get isReplicaRunning(): boolean {
    return this.replicaRunning;
  }

  /** Stops both servers and deletes the folder. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    live.delete(this);
    for (const data of [this.replicaData, this.primaryData]) {
      if (existsSync(join(data, "postmaster.pid"))) await pg("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w"]).catch(() => undefined);
    }
    rmSync(this.folder, { recursive: true, force: true });
  }

  /** The same, synchronously, for the process exit hook. */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const data of [this.replicaData, this.primaryData]) if (existsSync(join(data, "postmaster.pid"))) pgSync("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w"]);
    rmSync(this.folder, { recursive: true, force: true });
  }
}
