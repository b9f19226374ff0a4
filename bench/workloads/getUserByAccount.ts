import { expectFound, type Workload } from "./types";

/** An OAuth sign-in's lookup: the user behind a provider account. */
export const getUserByAccount: Workload<{ provider: string; providerAccountId: string }> = {
  name: "getUserByAccount",
  title: "getUserByAccount",
  concurrency: 1,
  warmupOps: (fixtures) => fixtures.accounts.length,
  input: (fixtures, i) => fixtures.accounts[i % fixtures.accounts.length]!,
  async call(adapter, key) {
    expectFound(await adapter.getUserByAccount(key), "getUserByAccount");
  },
};
