/**
 * `npm run bench:profile -- <implementation> <workload>[@callers] [calls]`: one contender, one
 * workload, many calls, for a CPU profile of those calls (`PROFILE_OUT=x.cpuprofile`; open it in
 * Chrome's DevTools or VS Code) and for what a call costs this process: CPU time (user + system, far
 * steadier than wall time on a shared machine) and bytes allocated. The calls run one after the
 * other, or from concurrent callers: a workload's own (`getSessionAndUser@32`), or `@n` after any
 * workload's name. With 32 callers on 2 cores the process is CPU-bound, so CPU per call is what
 * decides the bench's ops/s there.
 *
 * Bytes per call: after a full GC, `heapUsed` is read, a batch of calls runs, `heapUsed` is read
 * again. Run with a large young generation (`node --max-semi-space-size=128`, as the npm script
 * does) so that no collection runs inside a batch; a GC observer checks that, and a batch a
 * collection ran in is not counted. The difference divided by the calls is what each call allocated (the driver's
 * parsing included: compare with the floor's figure).
 */
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { PerformanceObserver } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { floor } from "./implementations/floor";
import { kitBare } from "./implementations/kitBare";
import { kitCached } from "./implementations/kitCached";
import { kitFull, kitFullLines, kitFullPlain } from "./implementations/kitFull";
import { pgAdapter } from "./implementations/pgAdapter";
import type { Implementation } from "./implementations/types";
import { BenchDatabases, withClient } from "./setup/databases";
import { createKitSchema } from "./setup/kitSchema";
import { createPgAdapterSchema } from "./setup/schemas";
import { readFixtures, seed, type Family } from "./setup/seed";
import { WORKLOADS } from "./workloads";

const MAKERS: Record<string, (kitUrl: string, pgUrl: string) => Implementation | Promise<Implementation>> = {
  floor: (k) => floor(k),
  pg: (_k, p) => pgAdapter(p),
  bare: (k) => kitBare(k),
  full: (k) => kitFull(k),
  lines: (k) => kitFullLines(k),
  plain: (k) => kitFullPlain(k),
  cached: (k) => kitCached(k),
};

/** Calls per allocation batch: small enough to fit the young generation. */
const BATCH = 200;

function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** `PROFILE_OUT=file.cpuprofile`: a CPU profile of the timed calls only (setup and seeding left out), sampled every 50 us. */
const PROFILE_OUT = process.env.PROFILE_OUT;

/** `HEAP_OUT=file.heapprofile`: V8's sampling heap profile (a sample every 256 bytes) of the calls: where the bytes are allocated. */
const HEAP_OUT = process.env.HEAP_OUT;

async function heapProfile(out: string, work: () => Promise<void>): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post("HeapProfiler.enable");
  // Keep objects the GC already collected: the question is what a call allocates, not what it keeps.
  await session.post("HeapProfiler.startSampling", { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await work();
  const { profile } = await session.post("HeapProfiler.stopSampling");
  writeFileSync(out, JSON.stringify(profile));
  session.disconnect();
}

/**
 * `PERF_CTL=fifo`: the control FIFO of a `perf record -D -1 --control fifo:<fifo>` this process runs
 * under; the timed calls only are recorded (native, kernel and, with `--perf-basic-prof`, JIT frames).
 */
const PERF_CTL = process.env.PERF_CTL;

function perfControl(command: "enable" | "disable"): void {
  if (PERF_CTL) writeFileSync(PERF_CTL, `${command}\n`);
}

/**
 * The main thread's time on a CPU so far, in ns (Linux: its schedstat), or NaN: the process's CPU
 * time also holds V8's compiler and GC threads, which run beside the calls.
 */
function mainThreadNs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "latin1").split(" ")[0]);
  } catch {
    return Number.NaN;
  }
}

async function startProfile(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 50 });
  await session.post("Profiler.start");
  return session;
}

async function stopProfile(session: Session, out: string): Promise<void> {
  const { profile } = await session.post("Profiler.stop");
  writeFileSync(out, JSON.stringify(profile));
  session.disconnect();
}

/** `name` (a workload, run with its own concurrency) or `name@n` (that workload from n concurrent callers). */
function workloadOf(name: string): { workload: (typeof WORKLOADS)[number] | undefined; callers: number } {
  const exact = WORKLOADS.find((w) => w.name === name);
  if (exact) return { workload: exact, callers: exact.concurrency };
  const at = name.lastIndexOf("@");
  if (at < 0) return { workload: undefined, callers: 1 };
  return { workload: WORKLOADS.find((w) => w.name === name.slice(0, at)), callers: Number(name.slice(at + 1)) };
}

async function main(): Promise<void> {
  const [which = "full", workloadName = "getSessionAndUser", callsArg = "4000"] = process.argv.slice(2);
  const make = MAKERS[which];
  const { workload, callers } = workloadOf(workloadName);
  if (!make || !workload || !(callers >= 1)) {
    throw new Error(`usage: bench/profile.ts <${Object.keys(MAKERS).join("|")}> <${WORKLOADS.map((w) => w.name).join("|")}>[@callers] [calls]`);
  }
  const calls = Number(callsArg);
  const gc = collector();
  const databases = new BenchDatabases();
  let impl: Implementation | undefined;
  try {
    const kitDb = await databases.create(`profile_kit_${randomBytes(3).toString("hex")}`);
    const pgDb = await databases.create(`profile_pg_${randomBytes(3).toString("hex")}`);
    await createKitSchema(kitDb.url);
    await withClient(pgDb.url, (c) => createPgAdapterSchema(c));
    impl = await make(kitDb.url, pgDb.url);
    const family: Family = impl.family;
    const url = family === "kit" ? kitDb.url : pgDb.url;
    const fixtures = await withClient(url, async (c) => {
      await seed(c, family, 2000, 2000);
      return readFixtures(c, family, 2000);
    });
    let i = 0;
    // `callers` loops share the next input's index (as the bench's runner does): n calls in all.
    const caller = async (end: number) => {
      while (i < end) await workload.call(impl!.adapter, workload.input(fixtures, i++) as never);
    };
    const run = async (n: number) => {
      const end = i + n;
      if (callers === 1) await caller(end);
      else await Promise.all(Array.from({ length: callers }, () => caller(end)));
    };
    await run(Math.min(calls, 2000)); // warm-up: JIT, prepared statements, pool
    // GC entries arrive asynchronously: keep their start times and check them against each batch's window.
    const collections: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) collections.push(entry.startTime);
    });
    observer.observe({ entryTypes: ["gc"] });
    // Bytes: small batches between full GCs; a batch a collection ran in is discarded.
    const windows: { from: number; to: number; bytes: number }[] = [];
    for (let b = 0; b < 10; b++) {
      gc();
      const from = performance.now();
      const before = process.memoryUsage().heapUsed;
      await run(BATCH);
      const after = process.memoryUsage().heapUsed;
      windows.push({ from, to: performance.now(), bytes: (after - before) / BATCH });
    }
    await new Promise((r) => setTimeout(r, 50));
    observer.disconnect();
    const perCall = windows.filter((w) => !collections.some((t) => t >= w.from && t <= w.to)).map((w) => w.bytes);
    if (HEAP_OUT) await heapProfile(HEAP_OUT, () => run(calls));
    const session = PROFILE_OUT ? await startProfile() : undefined;
    perfControl("enable");
    const switches0 = process.resourceUsage().voluntaryContextSwitches;
    const main0 = mainThreadNs();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await run(calls);
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const main = mainThreadNs() - main0;
    perfControl("disable");
    const switches = process.resourceUsage().voluntaryContextSwitches - switches0;
    // How many connections the contender had open on its database (held ones stay open a second or two).
    const connections = await withClient(url, async (c) => {
      const { rows } = await c.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
      return rows[0].n as number;
    });
    if (session) await stopProfile(session, PROFILE_OUT!);
    perCall.sort((a, b) => a - b);
    const bytes = perCall.length ? Math.round(perCall[perCall.length >> 1]!) : Number.NaN;
    console.log(
      JSON.stringify({
        implementation: impl.name,
        workload: workload.name,
        callers,
        calls,
        wallUsPerCall: +((wall * 1000) / calls).toFixed(1),
        cpuUsPerCall: +((cpu.user + cpu.system) / calls).toFixed(1),
        userUsPerCall: +(cpu.user / calls).toFixed(1),
        mainThreadUsPerCall: +(main / 1000 / calls).toFixed(1),
        bytesPerCall: bytes,
        // Times the process went to sleep (waiting in epoll with nothing to do): each costs a wake-up.
        sleepsPerCall: +(switches / calls).toFixed(3),
        connections,
        byteBatches: perCall.length,
      }),
    );
  } finally {
    await impl?.close();
    await databases.dropAll();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
