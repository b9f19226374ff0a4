import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { PipelineFork, PipelineResult } from "./pipelineCost";

const run = promisify(execFile);

/**
 * The pipeline section in `forks` fresh processes, one after the other, and the median one.
 *
 * Why apart from the run: the section measures a few hundred ns of kernel code that every kit in
 * the process shares. Run after the database workloads (eight contenders, two store families, six
 * plugin sets), the kernel's call sites had gone megamorphic, and the same loop took 1.2 or 2.1 µs
 * a call depending on the process (bench/README, "Eighth pass"). JMH forks a fresh JVM per
 * benchmark for the same reason.
 */
export async function measurePipelineInForks(calls: number, samples: number, forks: number): Promise<PipelineResult> {
  const results: PipelineResult[] = [];
  // One at a time: on a 2-core machine two forks at once would measure each other.
  for (let i = 0; i < forks; i++) results.push(await runFork(calls, samples));
  return medianFork(results);
}

/** The fork with the median 4-plugin overhead (the lower of the two middle ones for an even count), listing every fork. */
export function medianFork(results: readonly PipelineResult[]): PipelineResult {
  if (results.length === 0) throw new Error("pipeline section: no fork ran");
  const sorted = [...results].sort((a, b) => a.overhead4Ns - b.overhead4Ns);
  const chosen = sorted[(sorted.length - 1) >> 1]!;
  const forks: PipelineFork[] = results.map((r) => ({ directNs: r.directNs, overhead0Ns: r.overhead0Ns, overhead4Ns: r.overhead4Ns }));
  return { ...chosen, forks };
}

async function runFork(calls: number, samples: number): Promise<PipelineResult> {
  // The loader the bench itself runs under (package.json's "bench" script).
  const args = ["-r", "@swc-node/register", join(__dirname, "pipelineChild.ts"), String(calls), String(samples)];
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, args));
  } catch (error) {
    const { code, stderr } = error as { code?: number; stderr?: string };
    throw new Error(`pipeline section: the fork exited with ${code}${stderr?.trim() ? `: ${stderr.trim()}` : ""}`);
  }
  try {
    return JSON.parse(stdout) as PipelineResult;
  } catch {
    throw new Error("pipeline section: the fork printed no result");
  }
}
