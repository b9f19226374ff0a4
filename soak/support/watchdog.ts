/**
 * A watchdog on its own thread: a synchronous hang (a regex backtracking over a 1 MB string, an
 * endless loop) blocks the event loop, so no timer, settle() timeout or time limit can fire. The
 * watchdog sees the heartbeat stop, prints what the soak was doing, and kills the process.
 */
import { Worker } from "node:worker_threads";

const LABEL_BYTES = 1024;

const WATCHER = `
const { workerData } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const beat = new Int32Array(workerData.beat);
const label = new Uint8Array(workerData.label);
let last = Atomics.load(beat, 0);
let still = 0;
setInterval(() => {
  const now = Atomics.load(beat, 0);
  if (now !== last) { last = now; still = 0; return; }
  still += 1000;
  if (still >= workerData.limitMs) {
    const doing = Buffer.from(label).toString("utf8").replace(/\\0+$/, "");
    // Straight to fd 2: a worker's process.stderr goes through the (blocked) main thread.
    writeSync(2, "soak: the event loop was blocked for " + still / 1000 + " s (synchronous hang) while: " + (doing || "?") + "; killing the run\\n");
    process.kill(process.pid, "SIGKILL");
  }
}, 1000);
`;

let label: Uint8Array | undefined;

/** Starts the watchdog: kills the process if the event loop stays blocked for `limitMs`. */
export function startWatchdog(limitMs: number): void {
  const beat = new SharedArrayBuffer(4);
  const labelBuffer = new SharedArrayBuffer(LABEL_BYTES);
  label = new Uint8Array(labelBuffer);
  const counter = new Int32Array(beat);
  setInterval(() => Atomics.add(counter, 0, 1), 250).unref();
  const worker = new Worker(WATCHER, { eval: true, workerData: { beat, label: labelBuffer, limitMs } });
  worker.unref();
}

/** Records what the soak is doing, for the watchdog's message. */
export function doing(what: string): void {
  if (!label) return;
  const bytes = Buffer.from(what.slice(0, LABEL_BYTES / 4));
  label.fill(0);
  label.set(bytes.subarray(0, LABEL_BYTES - 1));
}
