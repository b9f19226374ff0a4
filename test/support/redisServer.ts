/**
 * A redis-server of a test's (or the soak's) own on a free loopback port, without persistence, that
 * it may kill and start again on the same port. The machine's main Redis (6379) is never touched.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** Ports this process has handed out: a server stopped and started again keeps its port, so no other
 * server of ours may be given it meanwhile. */
const handedOut = new Set<number>();

/**
 * Ports are drawn below the kernel's ephemeral range (32768 and up on Linux), where outgoing
 * connections take their local ports: a port found free there could be taken by a client socket
 * before the server binds it. With `companionOffset`, port + offset must be free too, and stay below
 * that range (Redis Cluster listens on port + 10000 for its bus).
 */
const LOWEST = 10_000;
const BELOW = 32_768;

/** A free TCP port on 127.0.0.1, not handed out before by this process. */
export async function freePort(options: { companionOffset?: number } = {}): Promise<number> {
  const offset = options.companionOffset ?? 0;
  const span = BELOW - offset - LOWEST;
  for (let attempt = 0; attempt < 1000; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * span);
    if (handedOut.has(port) || handedOut.has(port + offset)) continue;
    if (!(await bindable(port)) || (offset > 0 && !(await bindable(port + offset)))) continue;
    handedOut.add(port);
    if (offset > 0) handedOut.add(port + offset);
    return port;
  }
  throw new Error("no free port below the ephemeral range");
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Every server started and not yet stopped, so an exiting soak can kill what it spawned. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export class RedisServer {
  private child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  /** Starts a server on a free port. */
  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.start();
    return server;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  async start(): Promise<void> {
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
    const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    running.add(child);
    await new Promise<void>((resolve, reject) => {
      let output = "";
      const timer = setTimeout(() => reject(new Error(`redis-server on ${this.port} not ready after 10 s: ${output}`)), 10_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer);
          child.stdout!.off("data", onData);
          resolve();
        }
      };
      child.stdout!.on("data", onData);
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${output}`));
      });
    });
    child.stdout!.resume();
    child.stderr!.resume();
  }

  /** Kills the server (SIGKILL: no goodbye to clients, like a crash) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    running.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }
}
