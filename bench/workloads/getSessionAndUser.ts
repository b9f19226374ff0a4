import { expectFound, type Workload } from "./types";

/** The hot path: every request of a signed-in user, cycling over the seeded sessions. */
function lookup(concurrency: number): Workload<string> {
  return {
    name: concurrency === 1 ? "getSessionAndUser" : "getSessionAndUser@32",
    title: concurrency === 1 ? "getSessionAndUser, sequential" : `getSessionAndUser, ${concurrency} concurrent callers`,
    concurrency,
    warmupOps: (fixtures) => fixtures.sessionTokens.length,
    input: (fixtures, i) => fixtures.sessionTokens[i % fixtures.sessionTokens.length]!,
    async call(adapter, token) {
      expectFound(await adapter.getSessionAndUser(token), "getSessionAndUser");
    },
  };
}

export const getSessionAndUserSequential = lookup(1);
export const getSessionAndUserConcurrent = lookup(32);

/**
 * The cached contenders against the floor, sequentially, in interleaved whole rounds: a cache hit
 * taking turns call by call runs right after another contender's database call, with the CPU's
 * caches cold (bench/README.md, "How it is measured"); the target is about the hit itself.
 */
export const getSessionAndUserCached: Workload<string> = {
  ...lookup(1),
  name: "getSessionAndUser:cached",
  title: "getSessionAndUser, cached, sequential (interleaved whole rounds)",
  contenders: ["floor", "kit cached", "kit cached+redis"],
  wholeRounds: true,
};
