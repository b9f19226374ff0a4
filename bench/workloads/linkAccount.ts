import { randomBytes } from "node:crypto";
import type { NewAccount } from "../implementations/types";
import type { Workload } from "./types";

/** An OAuth sign-in's write: a provider account linked to an existing user, with its tokens. */
export const linkAccount: Workload<NewAccount> = {
  name: "linkAccount",
  title: "linkAccount",
  concurrency: 1,
  input: (fixtures, i) => ({
    userId: fixtures.userIds[i % fixtures.userIds.length]!,
    type: "oauth",
    provider: "gitlab",
    providerAccountId: `gl-${i}-${randomBytes(4).toString("hex")}`,
    access_token: `glpat-${randomBytes(20).toString("hex")}`,
    refresh_token: randomBytes(32).toString("hex"),
    expires_at: Math.floor(Date.now() / 1000) + 7200,
    token_type: "bearer",
    scope: "read_user",
  }),
  async call(adapter, account) {
    await adapter.linkAccount(account);
  },
};
