/** What every campaign gets from `soak/main.ts`, and what it hands back. */
import type { CampaignReport } from "../report";
import type { SoakOptions, Sizes } from "../options";
import type { SoakDatabases } from "./postgres";

export interface CampaignContext {
  options: SoakOptions;
  sizes: Sizes;
  databases: SoakDatabases;
  /** Progress lines (stderr). */
  log(line: string): void;
  /** performance.now() past which a campaign stops starting new work (the run's hard limit follows). */
  deadline: number;
  /** How long one adapter call may take before it counts as hung. */
  settleTimeoutMs: number;
}

export type CampaignOutcome = Omit<CampaignReport, "seconds" | "error">;

export type Campaign = (ctx: CampaignContext) => Promise<CampaignOutcome>;
