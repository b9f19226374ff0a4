import type { WorkloadResult } from "./runner";
import type { PipelineResult } from "./sections/pipelineCost";
import type { ScaleResult } from "./sections/scale";

/** One target of issue 6, with the figure measured against it in this run (met: null when not measured). */
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

function ratio(workloads: WorkloadResult[], workload: string, implementation: string): number | undefined {
  return workloads.find((w) => w.workload === workload)?.implementations[implementation]?.ratioToFloor;
}

function atLeast(target: string, value: number | undefined, min: number): TargetCheck {
  return value === undefined || Number.isNaN(value)
    ? { target, measured: "not measured", met: null }
    : { target, measured: `${value.toFixed(3)}x`, met: value >= min };
}

/** The targets, in the words, checked against ratios measured in this run. */
export function checkTargets({ workloads, pipeline, scale }: Measured): TargetCheck[] {
  const pipelineCheck: TargetCheck = pipeline
    ? { target: "4-plugin pipeline <= 2 us per call over a direct store call", measured: `${(pipeline.overhead4Ns / 1000).toFixed(2)} us`, met: pipeline.overhead4Ns <= 2000 }
    : { target: "4-plugin pipeline <= 2 us per call over a direct store call", measured: "not measured", met: null };
  const scaleRatio = scale?.p50Ratio["kit full"];
  const scaleCheck: TargetCheck =
    scaleRatio === undefined
      ? { target: "getSessionAndUser p50 at 1M sessions <= 1.2x of 10k", measured: "not measured", met: null }
      : {
          target: `getSessionAndUser p50 at ${scale!.large.toLocaleString("en-US")} sessions <= 1.2x of ${scale!.small.toLocaleString("en-US")}`,
          measured: `${scaleRatio.toFixed(3)}x`,
          met: scaleRatio <= 1.2,
        };
  return [
    atLeast("kit full (cache off) >= 0.8x floor, getSessionAndUser sequential", ratio(workloads, "getSessionAndUser", "kit full"), 0.8),
    atLeast("kit full (cache off) >= 0.8x floor, getSessionAndUser 32 callers", ratio(workloads, "getSessionAndUser@32", "kit full"), 0.8),
    atLeast("kit cached (in process) >= 20x floor, getSessionAndUser sequential", ratio(workloads, "getSessionAndUser", "kit cached"), 20),
    pipelineCheck,
    scaleCheck,
    atLeast("MariaDB: kit full (mariadb driver) >= 0.9x the mysql2 prepared JOIN, getSessionAndUser sequential", ratio(workloads, "mariadb:getSessionAndUser", "kit full (mariadb)"), 0.9),
    atLeast("MariaDB: kit full (mysql2 driver) >= 0.9x the mysql2 prepared JOIN, getSessionAndUser sequential", ratio(workloads, "mariadb:getSessionAndUser", "kit full (mysql2)"), 0.9),
    atLeast("MariaDB: kit full (mariadb driver) >= 0.9x the mysql2 prepared JOIN, 32 callers", ratio(workloads, "mariadb:getSessionAndUser@32", "kit full (mariadb)"), 0.9),
    atLeast("MariaDB: kit full (mysql2 driver) >= 0.9x the mysql2 prepared JOIN, 32 callers", ratio(workloads, "mariadb:getSessionAndUser@32", "kit full (mysql2)"), 0.9),
  ];
}
