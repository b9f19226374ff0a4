import { createSession } from "./createSession";
import { createUser } from "./createUser";
import { getSessionAndUserCached, getSessionAndUserConcurrent, getSessionAndUserSequential } from "./getSessionAndUser";
import { getUserByAccount } from "./getUserByAccount";
import { linkAccount } from "./linkAccount";
import type { Workload } from "./types";
import { verificationToken } from "./verificationToken";

/** The workloads run against every implementation, in this order. */
export const WORKLOADS: readonly Workload<never>[] = [
  getSessionAndUserSequential,
  getSessionAndUserCached,
  getSessionAndUserConcurrent,
  createSession,
  verificationToken,
  createUser,
  linkAccount,
  getUserByAccount,
] as Workload<never>[];

export type { Workload } from "./types";
