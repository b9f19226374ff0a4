import type { BenchAdapter } from "../implementations/types";
import type { Sizes } from "../options";
import type { Fixtures } from "../setup/seed";

/** One benchmarked operation mix: inputs are built outside the timed region, the call inside it. */
export interface Workload<I = unknown> {
  readonly name: keyof Sizes["ops"];
  readonly title: string;
  /** Callers running at once (1: one after the other). */
  readonly concurrency: number;
  /** Only these contenders (by name; the floor among them); default every contender. */
  readonly contenders?: readonly string[];
  /**
   * Sequential only: each contender runs its whole round of calls in a row, the contenders taking
   * turns round by round (the starting one rotating), instead of taking turns call by call.
   */
  readonly wholeRounds?: boolean;
  /** Operations of the unmeasured warm-up round (default: one round's worth); lookups visit every key once. */
  warmupOps?(fixtures: Fixtures): number;
  /** The input of the `i`-th operation of the run (i grows across rounds). */
  input(fixtures: Fixtures, i: number): I;
  /** The timed part; throws when the answer is wrong, so a broken contender cannot look fast. */
  call(adapter: BenchAdapter, input: I): Promise<void>;
}

/** Fails the run when a lookup that must find something came back empty. */
export function expectFound(value: unknown, what: string): void {
  if (value === null || value === undefined) throw new Error(`${what} returned nothing for an existing key`);
}
