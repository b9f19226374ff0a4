/** A forked campaign-3 worker, driven by messages: send one, wait for the next reply of a given type. */
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { FromWorker, ToWorker } from "../workers/protocol";

const alive = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of alive) child.kill("SIGKILL");
});

type Reply<T extends FromWorker["type"]> = Extract<FromWorker, { type: T }>;

export class WorkerProcess {
  private readonly child: ChildProcess;
  private readonly waiting: Array<{ type: string; resolve: (m: FromWorker) => void; reject: (e: Error) => void }> = [];
  private failure: Error | undefined;
  /** Users traffic: this worker's writes as they resolve (campaign `replicas` relays them to the other worker). */
  onWrote: ((message: Extract<FromWorker, { type: "wrote" }>) => void) | undefined;

  constructor(readonly index: number) {
    // Same loader flags as this process (-r @swc-node/register), so the worker runs from TypeScript.
    this.child = fork(join(__dirname, "..", "workers", "cacheWorker.ts"), [], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    alive.add(this.child);
    this.child.on("message", (message: FromWorker) => {
      if (message.type === "failed") return this.fail(new Error(`worker ${index}: ${message.error}`));
      if (message.type === "wrote") return this.onWrote?.(message);
      const at = this.waiting.findIndex((w) => w.type === message.type);
      if (at >= 0) this.waiting.splice(at, 1)[0]!.resolve(message);
    });
    this.child.on("exit", (code, signal) => {
      alive.delete(this.child);
      this.fail(new Error(`worker ${index} exited (${code ?? signal})`));
    });
  }

  send(message: ToWorker): void {
    if (this.failure) throw this.failure;
    this.child.send(message);
  }

  /** The next reply of `type`; rejects if the worker fails or exits first, or after `timeoutMs`. */
  next<T extends FromWorker["type"]>(type: T, timeoutMs = 120_000): Promise<Reply<T>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const entry = {
        type,
        resolve: (m: FromWorker) => {
          clearTimeout(timer);
          resolve(m as Reply<T>);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        reject(new Error(`worker ${this.index}: no "${type}" reply after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.push(entry);
    });
  }

  async request<T extends FromWorker["type"]>(message: ToWorker, reply: T, timeoutMs?: number): Promise<Reply<T>> {
    const answer = this.next(reply, timeoutMs);
    this.send(message);
    return answer;
  }

  /** Asks the worker to close its kit and exit; kills it if it does not. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    try {
      if (!this.failure) await this.request({ type: "close" }, "closed", 15_000);
    } catch {
      // Killed below.
    }
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiting.splice(0)) w.reject(error);
  }
}
