/**
 * The body the `replicas` and `cluster` campaigns share with campaign 3: two worker processes (one
 * kit each) read sessions while writing to them; waves are judged on the shared clock for stale
 * and missing reads; the last wave takes something down mid-run (`outage`) and brings it back.
 */
import type { AdapterKit } from "../../src";
import { pick, runWave, seedWave } from "../campaigns/cacheCoherence";
import { READ_KINDS, type ReadLog, type ToWorker, type WaveSpec } from "../workers/protocol";
import { sharedNow } from "./clock";
import type { CampaignContext } from "./context";
import { sleep } from "./settle";
import { judgeWave, type StaleCounts } from "./staleness";
import { WorkerProcess } from "./workerProcess";

export interface Outage {
  /** What goes down, for the log. */
  label: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** After `start`: resolves once the thing is usable again (e.g. the replica caught up). */
  recovered?(): Promise<void>;
}

export interface ReadSplit {
  hits: number;
  misses: number;
  bypasses: number;
  replicaReads: number;
  primaryReads: number;
  /** Database hot reads by reason (replica, fenced, miss, no-usable-replica, ...). */
  readReasons: Record<string, number>;
  /** The same by what the read was: "traffic:replica", "probe:fenced", "stale-cookie:miss", ... */
  kindReasons: Record<string, number>;
}

export interface CoherenceResult {
  totals: StaleCounts;
  /** Errors in the ordinary waves and in the outage wave. */
  errors: { normal: number; outage: number; examples: string[] };
  /** Reads counted by the workers over the ordinary waves, and over the outage wave. */
  normal: ReadSplit;
  outageWave: ReadSplit;
  waves: Array<Record<string, unknown>>;
  /** Reads by what they were (traffic, probe, stale-cookie), over every wave. */
  readsByKind: Record<string, number>;
}

/** How a campaign plans its waves (default: campaign 3's, seedWave). */
export interface WavePlan {
  seed(seeder: AdapterKit, id: number, plan: { durationMs?: number; writesFrom: number; writesTo: number; writers: (user: number) => boolean }): Promise<WaveSpec>;
  /** Runs after a wave's sessions are created, before it starts (e.g. until a replica has them). */
  afterSeed?(): Promise<void>;
  /** Relay each write's resolution to the other worker (users traffic: probes on the other instance). */
  relayWrites?: boolean;
}

type Init = Omit<Extract<ToWorker, { type: "init" }>, "type" | "index">;

export async function runCoherence(ctx: CampaignContext, seeder: AdapterKit, init: Init, outage: Outage, tag: string, plan?: WavePlan): Promise<CoherenceResult> {
  const workers = [new WorkerProcess(0), new WorkerProcess(1)];
  const seedOne: WavePlan["seed"] = plan?.seed ?? ((kit, id, p) => seedWave(kit, id, ctx.sizes.coherenceUsersPerWave, p));
  const afterSeed = plan?.afterSeed;
  const readsByKind: Record<string, number> = {};
  if (plan?.relayWrites) {
    for (const w of workers) {
      const other = workers[1 - w.index]!;
      w.onWrote = ({ op, ok }) => {
        try {
          other.send({ type: "peerWrote", op, ok });
        } catch {
          // The other worker failed: the campaign fails through it.
        }
      };
    }
  }
  const totals: StaleCounts = { reads: 0, deletedSessionServed: 0, outdatedUserServed: 0, outdatedExpiryServed: 0, liveSessionMissing: 0, examples: [] };
  const errors = { normal: 0, outage: 0, examples: [] as string[] };
  const waves: Array<Record<string, unknown>> = [];
  const zero: ReadSplit = { hits: 0, misses: 0, bypasses: 0, replicaReads: 0, primaryReads: 0, readReasons: {}, kindReasons: {} };
  let normal = zero;
  let outageWave = zero;
  try {
    await Promise.all(workers.map((w) => w.request({ type: "init", ...init, index: w.index }, "ready", 60_000)));
    const judge = (wave: Parameters<typeof judgeWave>[0], results: Array<{ reads: never; writes: never; readErrors: string[]; readErrorCount: number }>, key: "normal" | "outage") => {
      const logs = results.map((r) => r.reads as unknown as ReadLog);
      const counts = judgeWave(wave, logs, results.flatMap((r) => r.writes));
      for (const log of logs) for (const k of log.kind) readsByKind[READ_KINDS[k]!] = (readsByKind[READ_KINDS[k]!] ?? 0) + 1;
      for (const k of ["reads", "deletedSessionServed", "outdatedUserServed", "outdatedExpiryServed", "liveSessionMissing"] as const) totals[k] += counts[k];
      totals.examples.push(...counts.examples.slice(0, 5 - totals.examples.length));
      for (const r of results) {
        errors[key] += r.readErrorCount;
        for (const e of r.readErrors) if (errors.examples.length < 5) errors.examples.push(`read: ${e}`);
        for (const w of (r.writes as unknown as Array<{ ok: boolean; error?: string; op: { kind: string } }>).filter((x) => !x.ok)) {
          errors[key]++;
          if (errors.examples.length < 5) errors.examples.push(`${w.op.kind}: ${w.error}`);
        }
      }
      return counts;
    };

    const start = await split(workers);
    for (let n = 0; n < ctx.sizes.coherenceWaves && performance.now() < ctx.deadline; n++) {
      const duration = ctx.sizes.coherenceWaveMs;
      const wave = await seedOne(seeder, n, { durationMs: duration, writesFrom: 0.1 * duration, writesTo: 0.9 * duration, writers: () => true });
      if (afterSeed) {
        await afterSeed();
        wave.startAt = sharedNow() + 100;
      }
      ctx.log(`${tag}: wave ${n + 1}/${ctx.sizes.coherenceWaves}, ${wave.userIds.length} users, ${wave.writes.length} writes over ${duration / 1000} s`);
      const results = await runWave(workers, wave);
      const counts = judge(wave, results as never, "normal");
      waves.push({ wave: n, reads: counts.reads, writes: wave.writes.length, ...pick(counts) });
    }
    const beforeOutage = await split(workers);
    normal = minus(beforeOutage, start);

    const { outageBeforeMs, outageDownMs } = ctx.sizes;
    const span = outageBeforeMs + outageDownMs + 3000;
    const n = ctx.sizes.coherenceWaves;
    const wave = await seedOne(seeder, n, { writesFrom: 0.1 * span, writesTo: span, writers: (u) => u % 3 === 0 });
    if (afterSeed) {
      await afterSeed();
      wave.startAt = sharedNow() + 100;
    }
    ctx.log(`${tag}: outage wave: ${outage.label} down after ${outageBeforeMs / 1000} s, back ${outageDownMs / 1000} s later`);
    const done = Promise.all(workers.map((w) => w.next("waveDone", span + 120_000)));
    for (const w of workers) w.send({ type: "wave", wave });
    await sleep(Math.max(0, wave.startAt - sharedNow()) + outageBeforeMs);
    await outage.stop();
    await sleep(outageDownMs);
    await outage.start();
    await outage.recovered?.();
    await sleep(2000);
    for (const w of workers) w.send({ type: "stop" });
    const results = await done;
    const counts = judge(wave, results as never, "outage");
    outageWave = minus(await split(workers), beforeOutage);
    waves.push({ wave: n, outage: true, reads: counts.reads, writes: wave.writes.length, ...pick(counts) });
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
  return { totals, errors, normal, outageWave, waves, readsByKind };
}

async function split(workers: WorkerProcess[]): Promise<ReadSplit> {
  const all = await Promise.all(workers.map((w) => w.request({ type: "stats" }, "stats", 10_000)));
  return all.reduce(
    (a, s) => ({
      hits: a.hits + s.hits,
      misses: a.misses + s.misses,
      bypasses: a.bypasses + s.bypasses,
      replicaReads: a.replicaReads + (s.replicaReads ?? 0),
      primaryReads: a.primaryReads + (s.primaryReads ?? 0),
      readReasons: merge(a.readReasons, s.readReasons ?? {}, 1),
      kindReasons: merge(a.kindReasons, s.kindReasons ?? {}, 1),
    }),
    { hits: 0, misses: 0, bypasses: 0, replicaReads: 0, primaryReads: 0, readReasons: {} as Record<string, number>, kindReasons: {} as Record<string, number> },
  );
}

function minus(a: ReadSplit, b: ReadSplit): ReadSplit {
  return {
    hits: a.hits - b.hits,
    misses: a.misses - b.misses,
    bypasses: a.bypasses - b.bypasses,
    replicaReads: a.replicaReads - b.replicaReads,
    primaryReads: a.primaryReads - b.primaryReads,
    readReasons: merge(a.readReasons, b.readReasons, -1),
    kindReasons: merge(a.kindReasons, b.kindReasons, -1),
  };
}

function merge(a: Record<string, number>, b: Record<string, number>, sign: 1 | -1): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + sign * v;
  for (const [k, v] of Object.entries(out)) if (v === 0) delete out[k];
  return out;
}

export function share(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null;
}
