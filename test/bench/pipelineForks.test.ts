/**
 * The bench's pipeline section runs in fresh processes (bench/sections/pipelineForks.ts): the
 * median fork's figures are the ones reported and checked, every fork is listed, and a real fork
 * runs the section and hands its result back.
 */
import { measurePipelineInForks, medianFork } from "../../bench/sections/pipelineForks";
import type { PipelineResult } from "../../bench/sections/pipelineCost";

function result(overhead4Ns: number, directNs: number): PipelineResult {
  return { callsPerSample: 10, samples: 1, directNs, kit0Ns: directNs + 250, kit4Ns: directNs + overhead4Ns, kitHashedNs: directNs + 2000, hashingNs: 1750, overhead0Ns: 250, overhead4Ns };
}

test("the median fork by 4-plugin overhead is the one reported, with every fork listed in the order they ran", () => {
  const picked = medianFork([result(900, 1500), result(380, 800), result(450, 820)]);
  expect(picked.overhead4Ns).toBe(450);
  expect(picked.directNs).toBe(820);
  expect(picked.forks).toEqual([
    { directNs: 1500, overhead0Ns: 250, overhead4Ns: 900 },
    { directNs: 800, overhead0Ns: 250, overhead4Ns: 380 },
    { directNs: 820, overhead0Ns: 250, overhead4Ns: 450 },
  ]);
  // An even count: the lower of the two middle ones (no figure mixed from two processes).
  expect(medianFork([result(600, 900), result(400, 800)]).overhead4Ns).toBe(400);
  expect(() => medianFork([])).toThrow("no fork ran");
});

test("a fork runs the section in a process of its own and hands its figures back", async () => {
  const measured = await measurePipelineInForks(200, 1, 1);
  expect(measured.forks).toHaveLength(1);
  expect(measured.callsPerSample).toBe(200);
  for (const ns of [measured.directNs, measured.kit0Ns, measured.kit4Ns, measured.kitHashedNs]) {
    expect(Number.isFinite(ns) && ns > 0).toBe(true);
  }
  expect(measured.forks![0]).toEqual({ directNs: measured.directNs, overhead0Ns: measured.overhead0Ns, overhead4Ns: measured.overhead4Ns });
}, 60_000);

test("a fork that fails fails the section, saying so", async () => {
  // 0 calls per sample: the fork refuses its arguments and exits non-zero.
  await expect(measurePipelineInForks(0, 1, 1)).rejects.toThrow("pipeline section: the fork exited with 1: usage: pipelineChild.ts <calls per sample> <samples>");
}, 60_000);
