import { int } from "./format";
import type { WorkloadResult } from "./runner";
import type { PipelineResult } from "./sections/pipelineCost";
import type { ScaleResult } from "./sections/scale";

/** One target of issue 14 (and issue 6's scale target), with the figure measured against it in this run (met: null when not measured). */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

export interface Measured {
  workloads: WorkloadResult[];
  pipeline?: PipelineResult;
  scale?: ScaleResult;
}

/** The sign-in writes the issue names, by workload name. */
export const WRITE_WORKLOADS = ["createSession", "verificationToken", "createUser", "linkAccount"] as const;

const NOT_MEASURED = "not measured";

/** One contender's summary in one workload, if both were measured. */
function summaryOf(workloads: readonly WorkloadResult[], workload: string, implementation: string) {
  return workloads.find((w) => w.workload === workload)?.implementations[implementation];
}

function ratio(workloads: readonly WorkloadResult[], workload: string, implementation: string): number | undefined {
  return summaryOf(workloads, workload, implementation)?.ratioToFloor;
}

const missing = (v: number | undefined): v is undefined => v === undefined || Number.isNaN(v);

/** `context`: what the figure depends on, printed after it (never part of the check). */
function atLeast(target: string, value: number | undefined, min: number, context?: string): TargetCheck {
  if (missing(value)) return { target, measured: NOT_MEASURED, met: null };
  return { target, measured: `${value.toFixed(3)}x${context ? ` (${context})` : ""}`, met: value >= min };
}

/** The cached ratio moves with the floor's round trip as much as with the hit: both p50s beside it. */
function cachedContext(workloads: readonly WorkloadResult[]): string | undefined {
  const hit = summaryOf(workloads, "getSessionAndUser:cached", "kit cached")?.p50Us;
  const floor = summaryOf(workloads, "getSessionAndUser:cached", "floor")?.p50Us;
  return missing(hit) || missing(floor) ? undefined : `hit p50 ${hit.toFixed(1)} us, floor p50 ${floor.toFixed(1)} us`;
}

/** kit full -secrets beside kit full on a write: the difference is what the secrets at rest cost. */
function secretsContext(workloads: readonly WorkloadResult[], workload: string): string | undefined {
  const plain = ratio(workloads, workload, "kit full -secrets");
  return missing(plain) ? undefined : `kit full -secrets ${plain.toFixed(3)}x`;
}

/** `kit` at least `peer`, both as ratios to the same floor in the same run. */
function notBelowPeer(target: string, kit: number | undefined, peer: number | undefined): TargetCheck {
  if (missing(kit) || missing(peer)) return { target, measured: NOT_MEASURED, met: null };
  return { target, measured: `${kit.toFixed(3)}x vs ${peer.toFixed(3)}x`, met: kit >= peer };
}

/**
 * The targets, in the issue's words, checked against ratios measured in this run. Every ratio is
 * the median over interleaved rounds of (contender's ops/s) / (floor's ops/s) in the same round.
 */
export function checkTargets({ workloads, pipeline, scale }: Measured): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const w of WRITE_WORKLOADS) {
    checks.push(atLeast(`${w}: kit full >= 0.95x floor`, ratio(workloads, w, "kit full"), 0.95, secretsContext(workloads, w)));
    checks.push(notBelowPeer(`${w}: kit full >= @auth/pg-adapter`, ratio(workloads, w, "kit full"), ratio(workloads, w, "@auth/pg-adapter")));
  }
  checks.push(
    atLeast("getSessionAndUser: kit full (cache off) >= 0.95x floor, sequential", ratio(workloads, "getSessionAndUser", "kit full"), 0.95),
    atLeast("getSessionAndUser: kit full (cache off) >= 0.9x floor, 32 callers", ratio(workloads, "getSessionAndUser@32", "kit full"), 0.9),
    atLeast("getSessionAndUser: kit bare >= 0.98x floor, sequential", ratio(workloads, "getSessionAndUser", "kit bare"), 0.98),
    atLeast("getSessionAndUser: kit full with the per-call log line >= 0.9x floor", ratio(workloads, "getSessionAndUser", "kit full+lines"), 0.9),
  );
  const pipelineTarget = "4-plugin pipeline <= 0.5 us per call over a direct store call";
  checks.push(
    pipeline
      ? {
          target: pipelineTarget,
          // The target is absolute: the direct call beside it says how fast the machine ran the same code.
          measured: `${(pipeline.overhead4Ns / 1000).toFixed(2)} us (direct call ${int(pipeline.directNs)} ns)`,
          met: pipeline.overhead4Ns <= 500,
        }
      : { target: pipelineTarget, measured: NOT_MEASURED, met: null },
  );
  // Measured in its own workload, in interleaved whole rounds (bench/README.md, "How it is measured").
  checks.push(atLeast("getSessionAndUser: kit cached (in process) >= 30x floor, sequential", ratio(workloads, "getSessionAndUser:cached", "kit cached"), 30, cachedContext(workloads)));
  // MariaDB (the section of its own, bench/sections/mariadb.ts): kit full against a mysql2 prepared floor.
  for (const [workload, label] of [["mariadb:getSessionAndUser", "getSessionAndUser sequential"], ["mariadb:getSessionAndUser@32", "getSessionAndUser 32 callers"]] as const) {
    for (const driver of ["mariadb", "mysql2"]) {
      checks.push(atLeast(`MariaDB: kit full (${driver} driver) >= 0.9x the mysql2 prepared floor, ${label}`, ratio(workloads, workload, `kit full (${driver})`), 0.9));
    }
  }
  // The writes, per driver: the lowest of the four ratios decides, and the report names it.
  for (const driver of ["mariadb", "mysql2"]) {
    const target = `MariaDB: kit full (${driver} driver) >= 0.9x the mysql2 prepared floor, writes`;
    const ratios = WRITE_WORKLOADS.map((w) => [w, ratio(workloads, `mariadb:${w}`, `kit full (${driver})`)] as const);
    if (ratios.some(([, v]) => missing(v))) {
      checks.push({ target, measured: NOT_MEASURED, met: null });
      continue;
    }
    const [lowest, value] = ratios.reduce((a, b) => (b[1]! < a[1]! ? b : a));
    checks.push({ target, measured: `${value!.toFixed(3)}x (lowest: ${lowest}; ${ratios.map(([w, v]) => `${w} ${v!.toFixed(2)}x`).join(", ")})`, met: value! >= 0.9 });
  }
  const scaleRatio = scale?.p50Ratio["kit full"];
  checks.push(
    scaleRatio === undefined
      ? { target: "getSessionAndUser p50 at 1M sessions <= 1.2x of 10k", measured: NOT_MEASURED, met: null }
      : {
          target: `getSessionAndUser p50 at ${scale!.large.toLocaleString("en-US")} sessions <= 1.2x of ${scale!.small.toLocaleString("en-US")}`,
          measured: `${scaleRatio.toFixed(3)}x`,
          met: scaleRatio <= 1.2,
        },
  );
  return checks;
}

/** True when some target was measured and missed: the bench then exits non-zero. */
export function anyMissed(checks: readonly TargetCheck[]): boolean {
  return checks.some((c) => c.met === false);
}
