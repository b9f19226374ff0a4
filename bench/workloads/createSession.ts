import { randomBytes } from "node:crypto";
import type { NewSession } from "../implementations/types";
import type { Workload } from "./types";

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

/** A sign-in's write: a new session (a fresh 32-byte token, as Auth.js makes) for an existing user. */
export const createSession: Workload<NewSession> = {
  name: "createSession",
  title: "createSession",
  concurrency: 1,
  input: (fixtures, i) => ({
    sessionToken: randomBytes(32).toString("hex"),
    userId: fixtures.userIds[i % fixtures.userIds.length]!,
    expires: new Date(Date.now() + THIRTY_DAYS_MS),
  }),
  async call(adapter, session) {
    await adapter.createSession(session);
  },
};
