/**
 * Redis topologies of a test's (or the soak's) own, on free loopback ports in temporary folders:
 * - `RedisClusterSet`: three masters (`redis-server --cluster-enabled yes`, joined with
 *   `redis-cli --cluster create`), one of which a test may kill and start again;
 * - `RedisSentinelSet`: one master watched by one sentinel (`redis-server --sentinel`), with a
 *   replica on request, which a test may freeze (SIGSTOP) and which the sentinel promotes when the
 *   master dies.
 * No persistence. The machine's main Redis (6379) is never touched. `destroy()` kills every
 * process and removes the folder; an exit hook does the same when a run ends without it.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./redisServer";

const run = promisify(execFile);

const children = new Set<ChildProcess>();
const folders = new Set<string>();
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL");
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function newFolder(tag: string): string {
  const folder = mkdtempSync(join(tmpdir(), `kit-redis-${tag}-`));
  folders.add(folder);
  return folder;
}

function removeFolder(folder: string): void {
  folders.delete(folder);
  rmSync(folder, { recursive: true, force: true });
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], { timeout: 30_000 });
  return stdout;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Freezes `replica` (SIGSTOP) and has `master` drop its link to it: the master's next writes stay
 * in its backlog instead of waiting in the replica's socket, as when a replica lagged.
 */
async function cutReplica(master: RedisProcess, replica: RedisProcess): Promise<void> {
  replica.freeze(true);
  await cli(master.port, "client", "kill", "type", "replica");
}

/** Keys under `pattern` on one server. */
async function keysOn(server: RedisProcess, pattern: string): Promise<string[]> {
  return (await cli(server.port, "--scan", "--pattern", pattern)).split("\n").filter(Boolean);
}

/** One redis-server process, killable (SIGKILL, like a crash) and restartable with the same args. */
class RedisProcess {
  private child: ChildProcess | undefined;
  private output = "";

  constructor(
    readonly port: number,
    private readonly args: string[],
    private readonly cwd: string,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  async start(): Promise<void> {
    const child = spawn("redis-server", this.args, { cwd: this.cwd, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    children.add(child);
    child.stdout!.on("data", (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4000)));
    child.stderr!.resume();
    const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`redis-server on ${this.port} exited (${code}): ${this.output}`))));
    exited.catch(() => undefined);
    await Promise.race([waitFor(`redis-server on ${this.port}`, async () => (await cli(this.port, "ping")).trim() === "PONG"), exited]);
  }

  /** SIGSTOP / SIGCONT: a frozen server keeps its connections and answers nothing. */
  freeze(frozen: boolean): void {
    this.child?.kill(frozen ? "SIGSTOP" : "SIGCONT");
  }

  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    children.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }
}

export interface ClusterOptions {
  /** `cluster-node-timeout`, in ms: how soon a killed master is marked failed. Default 1000. */
  nodeTimeoutMs?: number;
}

export class RedisClusterSet {
  private constructor(
    private readonly folder: string,
    readonly masters: RedisProcess[],
    private readonly nodeTimeoutMs: number,
  ) {}

  /** A cluster node's arguments (the cluster bus listens on port + 10000). */
  private nodeArgs(port: number): string[] {
    return [
      "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
      "--cluster-enabled", "yes", "--cluster-config-file", `nodes-${port}.conf`,
      "--cluster-node-timeout", String(this.nodeTimeoutMs),
      "--dir", this.folder,
    ];
  }

  private readonly replicas: RedisProcess[] = [];

  /** Three masters on free ports, all 16 384 slots assigned, cluster state ok. */
  static async start(options: ClusterOptions = {}): Promise<RedisClusterSet> {
    const folder = newFolder("cluster");
    const set = new RedisClusterSet(folder, [], options.nodeTimeoutMs ?? 1000);
    const masters = set.masters;
    for (let i = 0; i < 3; i++) {
      const port = await freePort({ companionOffset: 10_000 });
      masters.push(new RedisProcess(port, set.nodeArgs(port), folder));
    }
    try {
      await Promise.all(masters.map((m) => m.start()));
      await run("redis-cli", ["--cluster", "create", ...masters.map((m) => `127.0.0.1:${m.port}`), "--cluster-replicas", "0", "--cluster-yes"], { timeout: 30_000 });
      await set.waitUntilOk();
    } catch (error) {
      await set.destroy();
      throw error;
    }
    return set;
  }

  /** Seed nodes for `new Cluster(...)`. */
  get nodes(): Array<{ host: string; port: number }> {
    return this.masters.map((m) => ({ host: "127.0.0.1", port: m.port }));
  }

  /** Waits until every running master reports `cluster_state:ok`. */
  async waitUntilOk(): Promise<void> {
    await waitFor("cluster_state:ok", async () => {
      for (const m of this.masters.filter((x) => x.running)) if (!(await cli(m.port, "cluster", "info")).includes("cluster_state:ok")) return false;
      return true;
    });
  }

  /** The master that holds `key`'s slot (hash tags honoured). */
  async masterFor(key: string): Promise<RedisProcess> {
    const live = this.masters.find((m) => m.running)!;
    const slot = Number((await cli(live.port, "cluster", "keyslot", key)).trim());
    const shards = (await cli(live.port, "cluster", "slots")).split("\n").map((l) => l.trim());
    // `cluster slots` prints, per range: start, end, then the master's host and port.
    for (let i = 0; i + 3 < shards.length; i++) {
      const [start, end, , port] = shards.slice(i, i + 4).map(Number);
      if (Number.isInteger(start) && Number.isInteger(end) && slot >= start && slot <= end && this.masters.some((m) => m.port === port)) {
        return this.masters.find((m) => m.port === port)!;
      }
    }
    throw new Error(`no master found for slot ${slot}`);
  }

  /**
   * Moves `key`'s slot, with its keys, to `to`, the way `redis-cli --cluster reshard` does: target
   * importing, source migrating, MIGRATE of the keys, then the new owner announced to every master.
   */
  async moveSlotOf(key: string, to: RedisProcess): Promise<void> {
    const from = await this.masterFor(key);
    if (from === to) throw new Error("the slot is already on that master");
    const slot = (await cli(from.port, "cluster", "keyslot", key)).trim();
    const idOf = async (m: RedisProcess) => (await cli(m.port, "cluster", "myid")).trim();
    const [fromId, toId] = [await idOf(from), await idOf(to)];
    await cli(to.port, "cluster", "setslot", slot, "importing", fromId);
    await cli(from.port, "cluster", "setslot", slot, "migrating", toId);
    for (;;) {
      const keys = (await cli(from.port, "cluster", "getkeysinslot", slot, "100")).split("\n").filter(Boolean);
      if (keys.length === 0) break;
      await cli(from.port, "migrate", "127.0.0.1", String(to.port), "", "0", "5000", "keys", ...keys);
    }
    for (const m of [to, from, ...this.masters.filter((x) => x !== to && x !== from && x.running)]) await cli(m.port, "cluster", "setslot", slot, "node", toId);
    await this.waitUntilOk();
  }

  /** Kills a master with SIGKILL (a crash) and waits until the others mark the cluster failed. */
  async killMaster(master: RedisProcess): Promise<void> {
    await master.kill();
    await waitFor("cluster_state:fail", async () => {
      for (const m of this.masters.filter((x) => x.running)) if (!(await cli(m.port, "cluster", "info")).includes("cluster_state:fail")) return false;
      return true;
    });
  }

  /**
   * Starts a replica of `master` (a new node joined with `redis-cli --cluster add-node
   * --cluster-slave`) and waits until it is in sync. It takes the master's slots over when the
   * master fails.
   */
  async addReplica(master: RedisProcess): Promise<RedisProcess> {
    const port = await freePort({ companionOffset: 10_000 });
    const replica = new RedisProcess(port, this.nodeArgs(port), this.folder);
    this.replicas.push(replica);
    await replica.start();
    const masterId = (await cli(master.port, "cluster", "myid")).trim();
    await run("redis-cli", ["--cluster", "add-node", `127.0.0.1:${port}`, `127.0.0.1:${master.port}`, "--cluster-slave", "--cluster-master-id", masterId], { timeout: 30_000 });
    await waitFor("the replica in sync", async () => (await cli(port, "info", "replication")).includes("master_link_status:up"));
    return replica;
  }

  /** `replica` lags: frozen, and cut off by `master` (see cutReplica); `freeze(false)` lets it run again. */
  cutReplica(master: RedisProcess, replica: RedisProcess): Promise<void> {
    return cutReplica(master, replica);
  }

  /** Waits until `replica` took its failed master's slots over and every running node says ok. */
  async promoted(replica: RedisProcess): Promise<void> {
    await waitFor("the replica promoted", async () => (await cli(replica.port, "role")).startsWith("master"), 40_000);
    await this.waitUntilOk();
  }

  /** Starts a killed master again (same port and node id, empty data) and waits for state ok. */
  async restartMaster(master: RedisProcess): Promise<void> {
    await master.start();
    await this.waitUntilOk();
  }

  /** Keys under `pattern` on one node. */
  keys(node: RedisProcess, pattern: string): Promise<string[]> {
    return keysOn(node, pattern);
  }

  async destroy(): Promise<void> {
    await Promise.all([...this.masters, ...this.replicas].map((m) => m.kill()));
    removeFolder(this.folder);
  }
}

export const SENTINEL_MASTER_NAME = "kitmaster";

export class RedisSentinelSet {
  private constructor(
    private readonly folder: string,
    readonly master: RedisProcess,
    readonly sentinel: RedisProcess,
    readonly replica: RedisProcess | undefined,
  ) {}

  /** One master and one sentinel monitoring it as `SENTINEL_MASTER_NAME`; `replica`: one replica too. */
  static async start(options: { replica?: boolean } = {}): Promise<RedisSentinelSet> {
    const folder = newFolder("sentinel");
    const masterPort = await freePort();
    const sentinelPort = await freePort();
    const server = (port: number, ...more: string[]) =>
      new RedisProcess(port, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder, ...more], folder);
    const master = server(masterPort);
    const replica = options.replica ? server(await freePort(), "--replicaof", "127.0.0.1", String(masterPort)) : undefined;
    // Sentinel rewrites its configuration file, so it gets one of its own in the folder. A short
    // failover timeout: a failover that found no good replica is tried again seconds later, not minutes.
    const conf = join(folder, "sentinel.conf");
    const watch = (setting: string) => `sentinel ${setting.replace(" ", ` ${SENTINEL_MASTER_NAME} `)}`;
    writeFileSync(conf, [`port ${sentinelPort}`, "bind 127.0.0.1", `dir ${folder}`, `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${masterPort} 1`, watch("down-after-milliseconds 1000"), watch("failover-timeout 4000"), ""].join("\n"));
    const sentinel = new RedisProcess(sentinelPort, [conf, "--sentinel"], folder);
    const set = new RedisSentinelSet(folder, master, sentinel, replica);
    try {
      await master.start();
      await replica?.start();
      if (replica) await waitFor("the replica in sync", async () => (await cli(replica.port, "info", "replication")).includes("master_link_status:up"));
      await sentinel.start();
      await waitFor("sentinel knows the master", async () => (await cli(sentinelPort, "sentinel", "get-master-addr-by-name", SENTINEL_MASTER_NAME)).includes(String(masterPort)));
      // The sentinel learns of replicas from the master's INFO, every 10 s.
      if (replica) await waitFor("sentinel knows the replica", async () => (await cli(sentinelPort, "sentinel", "replicas", SENTINEL_MASTER_NAME)).includes(String(replica.port)), 30_000);
    } catch (error) {
      await set.destroy();
      throw error;
    }
    return set;
  }

  /** The `sentinels` option for ioredis. */
  get sentinels(): Array<{ host: string; port: number }> {
    return [{ host: "127.0.0.1", port: this.sentinel.port }];
  }

  /** Waits until the master has sent every write so far to the replica. */
  async replicated(): Promise<void> {
    const acked = (await cli(this.master.port, "wait", "1", "10000")).trim();
    if (acked !== "1") throw new Error(`the replica did not acknowledge the master's writes (${acked})`);
  }

  /** The replica lags (see cutReplica); `thaw()` lets it run again (it then reconnects, to whichever master is there). */
  cutReplica(): Promise<void> {
    return cutReplica(this.master, this.replica!);
  }

  thaw(): void {
    this.replica!.freeze(false);
  }

  /** Waits until the sentinel names the replica as the master (after the master died). */
  async promoted(): Promise<void> {
    await waitFor("the sentinel promotes the replica", async () => (await cli(this.sentinel.port, "sentinel", "get-master-addr-by-name", SENTINEL_MASTER_NAME)).includes(String(this.replica!.port)), 40_000);
  }

  /** Keys under `pattern` on `server`. */
  keys(server: RedisProcess, pattern: string): Promise<string[]> {
    return keysOn(server, pattern);
  }

  async destroy(): Promise<void> {
    await Promise.all([this.sentinel.kill(), this.master.kill(), this.replica?.kill()]);
    removeFolder(this.folder);
  }
}
