import type { Implementation } from "./implementations/types";
import type { Fixtures } from "./setup/seed";
import { median, summarizeRound, type RoundResult } from "./stats";
import { turnOrder } from "./turnOrder";
import type { Workload } from "./workloads";

export interface ImplementationSummary {
  /** Medians over the measured rounds. */
  opsPerSec: number;
  p50Us: number;
  p99Us: number;
  /** Median over rounds of this round's ops/s divided by the baseline's (the floor's) ops/s in the same round. */
  ratioToFloor: number;
  rounds: RoundResult[];
}

export interface WorkloadResult {
  workload: string;
  title: string;
  concurrency: number;
  opsPerRound: number;
  rounds: number;
  implementations: Record<string, ImplementationSummary>;
}

/** Runs `ops` operations of `workload` on one implementation; `offset` numbers them across rounds. */
async function runRound(impl: Implementation, workload: Workload<never>, fixtures: Fixtures, ops: number, offset: number): Promise<RoundResult> {
  const latencies = new Float64Array(ops);
  let next = 0;
  const caller = async () => {
    for (let k = next++; k < ops; k = next++) {
      const input = workload.input(fixtures, offset + k);
      const started = performance.now();
      await workload.call(impl.adapter, input);
      latencies[k] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: workload.concurrency }, caller));
  return summarizeRound(latencies, performance.now() - started);
}

/**
 * One round of a sequential workload for every implementation at once, call by call (A B C, C A B,
 * B C A ...: each pass in an order of its own, see turnOrder.ts): on a shared machine the load
 * changes within seconds, and contenders taking turns per call meet the same load, where whole
 * rounds one after the other do not. An implementation's ops/s is its calls over the time its own
 * calls took.
 */
async function runInterleavedRound(
  implementations: readonly Implementation[],
  workload: Workload<never>,
  fixturesOf: (impl: Implementation) => Fixtures,
  ops: number,
  offset: number,
): Promise<RoundResult[]> {
  const latencies = implementations.map(() => new Float64Array(ops));
  const fixtures = implementations.map(fixturesOf);
  for (let k = 0; k < ops; k++) {
    // A new order each pass, so that none runs right after the same other one every time.
    for (const x of turnOrder(implementations.length, offset + k)) {
      const input = workload.input(fixtures[x]!, offset + k);
      const started = performance.now();
      await workload.call(implementations[x]!.adapter, input);
      latencies[x]![k] = performance.now() - started;
    }
  }
  return latencies.map((l) => summarizeRound(l, l.reduce((a, b) => a + b, 0)));
}

/**
 * One round of a sequential workload in whole rounds: each implementation runs its `ops` calls in
 * a row, the implementations one after the other, starting with the `first`-th (the caller rotates
 * it round by round). Per implementation as above: its calls over the time its own calls took.
 */
async function runWholeRounds(
  implementations: readonly Implementation[],
  workload: Workload<never>,
  fixturesOf: (impl: Implementation) => Fixtures,
  ops: number,
  offset: number,
  first: number,
): Promise<RoundResult[]> {
  const results: RoundResult[] = [];
  for (let j = 0; j < implementations.length; j++) {
    const x = (j + first) % implementations.length;
    const impl = implementations[x]!;
    const fixtures = fixturesOf(impl);
    const latencies = new Float64Array(ops);
    for (let k = 0; k < ops; k++) {
      const input = workload.input(fixtures, offset + k);
      const started = performance.now();
      await workload.call(impl.adapter, input);
      latencies[k] = performance.now() - started;
    }
    results[x] = summarizeRound(latencies, latencies.reduce((a, b) => a + b, 0));
  }
  return results;
}

/**
 * Interleaved rounds (A B C A B C ...) so that drift of the machine (other processes, the database's
 * background work) hits every implementation alike; one unmeasured warm-up round first.
 * Stops early (keeping the rounds done) once `deadline` (a performance.now() value) has passed.
 */
export async function runWorkload(
  workload: Workload<never>,
  implementations: readonly Implementation[],
  fixturesOf: (impl: Implementation) => Fixtures,
  ops: number,
  rounds: number,
  deadline: number,
  progress: (line: string) => void,
  baseline = "floor",
): Promise<WorkloadResult> {
  if (workload.contenders) implementations = implementations.filter((i) => workload.contenders!.includes(i.name));
  const results = new Map<string, RoundResult[]>(implementations.map((i) => [i.name, []]));
  for (const impl of implementations) {
    const f = fixturesOf(impl);
    await runRound(impl, workload, f, workload.warmupOps?.(f) ?? ops, 0);
  }
  let done = 0;
  for (let round = 0; round < rounds; round++) {
    if (round > 0 && performance.now() > deadline) break;
    if (workload.concurrency === 1) {
      const offset = (round + 1) * ops + (workload.warmupOps?.(fixturesOf(implementations[0]!)) ?? 0);
      const rs = workload.wholeRounds
        ? await runWholeRounds(implementations, workload, fixturesOf, ops, offset, round % implementations.length)
        : await runInterleavedRound(implementations, workload, fixturesOf, ops, offset);
      implementations.forEach((impl, j) => results.get(impl.name)!.push(rs[j]!));
      done++;
      progress(`  ${workload.name}: round ${done}/${rounds}`);
      continue;
    }
    for (const impl of implementations) {
      const f = fixturesOf(impl);
      results.get(impl.name)!.push(await runRound(impl, workload, f, ops, (round + 1) * ops + (workload.warmupOps?.(f) ?? 0)));
    }
    done++;
    progress(`  ${workload.name}: round ${done}/${rounds}`);
  }
  const floor = results.get(baseline);
  const implementationsOut: Record<string, ImplementationSummary> = {};
  for (const [name, rs] of results) {
    implementationsOut[name] = {
      opsPerSec: median(rs.map((r) => r.opsPerSec)),
      p50Us: median(rs.map((r) => r.p50Us)),
      p99Us: median(rs.map((r) => r.p99Us)),
      ratioToFloor: floor ? median(rs.map((r, i) => r.opsPerSec / floor[i]!.opsPerSec)) : Number.NaN,
      rounds: rs,
    };
  }
  return { workload: workload.name, title: workload.title, concurrency: workload.concurrency, opsPerRound: ops, rounds: done, implementations: implementationsOut };
}
