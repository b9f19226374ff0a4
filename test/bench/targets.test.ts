/**
 * The bench's targets table (bench/targets.ts) for the absolute pipeline target: checked against
 * the 4-plugin overhead, with the direct call's cost printed beside it, and "not measured" when the
 * section did not run.
 */
import { checkTargets, anyMissed } from "../../bench/targets";
import type { PipelineResult } from "../../bench/sections/pipelineCost";

const TARGET = "4-plugin pipeline <= 0.5 us per call over a direct store call";

function pipeline(overhead4Ns: number, directNs: number): PipelineResult {
  return {
    callsPerSample: 1000,
    samples: 3,
    directNs,
    kit0Ns: directNs + 300,
    kit4Ns: directNs + overhead4Ns,
    kitHashedNs: directNs + 2000,
    hashingNs: 1700,
    overhead0Ns: 300,
    overhead4Ns,
  };
}

const rowOf = (p?: PipelineResult) => checkTargets({ workloads: [], pipeline: p }).find((c) => c.target === TARGET)!;

test("the pipeline row is met at 0.5 us and under, missed above, with the direct call beside the figure", () => {
  expect(rowOf(pipeline(500, 1150.4))).toEqual({ target: TARGET, measured: "0.50 us (direct call 1,150 ns)", met: true });
  const missed = rowOf(pipeline(1094, 1936));
  expect(missed).toEqual({ target: TARGET, measured: "1.09 us (direct call 1,936 ns)", met: false });
  expect(anyMissed([missed])).toBe(true);
});

test("without the pipeline section the row says so and fails nothing", () => {
  const row = rowOf(undefined);
  expect(row).toEqual({ target: TARGET, measured: "not measured", met: null });
  expect(anyMissed([row])).toBe(false);
});
