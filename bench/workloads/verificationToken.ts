import { randomBytes } from "node:crypto";
import type { NewToken } from "../implementations/types";
import { expectFound, type Workload } from "./types";

/** The e-mail sign-in pair: the link is stored, then used once (timed together as one operation). */
export const verificationToken: Workload<NewToken> = {
  name: "verificationToken",
  title: "createVerificationToken + useVerificationToken",
  concurrency: 1,
  input: (_fixtures, i) => ({
    identifier: `reader${i}@example.com`,
    token: randomBytes(32).toString("hex"),
    expires: new Date(Date.now() + 24 * 3600 * 1000),
  }),
  async call(adapter, token) {
    await adapter.createVerificationToken(token);
    expectFound(await adapter.useVerificationToken({ identifier: token.identifier, token: token.token }), "useVerificationToken");
  },
};
