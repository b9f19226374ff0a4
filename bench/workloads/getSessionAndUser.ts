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
