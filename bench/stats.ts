/** Order statistics for the benchmark: percentiles of latencies and medians over rounds. */

/** The p-th percentile (0..100) of `values` by the nearest-rank method; NaN when empty. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sorted[rank - 1]!;
}

/** The median of `values` (the mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** What one implementation did in one round of one workload. */
export interface RoundResult {
  ops: number;
  opsPerSec: number;
  /** Latencies in microseconds. */
  p50Us: number;
  p99Us: number;
}

/** One round's figures from per-operation latencies (ms) and the round's wall time (ms). */
export function summarizeRound(latenciesMs: Float64Array, wallMs: number): RoundResult {
  return {
    ops: latenciesMs.length,
    opsPerSec: latenciesMs.length / (wallMs / 1000),
    p50Us: percentile(latenciesMs, 50) * 1000,
    p99Us: percentile(latenciesMs, 99) * 1000,
  };
}
