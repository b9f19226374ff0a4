/** The reliability report: figures per campaign, written as JSON and printed as a short table. */
import { writeFileSync } from "node:fs";
import type { CampaignName } from "./options";

/**
 * One figure. `loss` figures count things that must never happen (the run fails unless 0),
 * `check` figures must be true, `target` figures are timings reported against a goal (not
 * pass/fail: speed belongs to benchmarks), `info` figures give the scale of the work done.
 */
export type Figure =
  | { kind: "loss"; value: number }
  | { kind: "check"; value: boolean }
  | { kind: "target"; value: number | null; target: string }
  | { kind: "info"; value: number | string };

export const loss = (value: number): Figure => ({ kind: "loss", value });
export const check = (value: boolean): Figure => ({ kind: "check", value });
export const target = (value: number | null, goal: string): Figure => ({ kind: "target", value, target: goal });
export const info = (value: number | string): Figure => ({ kind: "info", value });

export interface CampaignReport {
  title: string;
  seconds: number;
  figures: Record<string, Figure>;
  /** Breakdowns and the first few examples of anything that went wrong. */
  details: Record<string, unknown>;
  /** What the figures do and do not cover. */
  notes: string[];
  /** Set when the campaign itself could not run to the end. */
  error?: string;
}

export interface SoakReport {
  generatedAt: string;
  mode: "quick" | "full";
  seed: number;
  seconds: number;
  environment: Record<string, string | number>;
  /** The bounds that make every call settle, for the README. */
  timeouts: Record<string, number | string>;
  campaigns: Partial<Record<CampaignName, CampaignReport>>;
  /** Every loss figure that is not 0 and every check that is false, as `campaign.figure`. */
  failures: string[];
  ok: boolean;
}

/** The failing figures of a report (and campaigns that did not finish). */
export function failures(campaigns: SoakReport["campaigns"]): string[] {
  const out: string[] = [];
  for (const [name, campaign] of Object.entries(campaigns)) {
    if (campaign.error) out.push(`${name} (did not finish: ${campaign.error})`);
    for (const [figure, f] of Object.entries(campaign.figures)) {
      if ((f.kind === "loss" && f.value !== 0) || (f.kind === "check" && f.value !== true)) out.push(`${name}.${figure}`);
    }
  }
  return out;
}

export function writeReport(path: string, report: SoakReport): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

function shown(f: Figure): [string, string] {
  switch (f.kind) {
    case "loss":
      return [String(f.value), "0"];
    case "check":
      return [f.value ? "yes" : "NO", "yes"];
    case "target":
      return [f.value === null ? "n/a" : String(f.value), f.target];
    default:
      return [typeof f.value === "number" ? f.value.toLocaleString("en-US") : f.value, ""];
  }
}

/** The short table printed to stdout: one line per figure. */
export function formatTable(report: SoakReport): string {
  const rows: string[][] = [["campaign", "figure", "value", "target", ""]];
  for (const [name, campaign] of Object.entries(report.campaigns)) {
    if (campaign.error) rows.push([name, "(did not finish)", campaign.error.slice(0, 60), "", "FAIL"]);
    for (const [figure, f] of Object.entries(campaign.figures)) {
      const [value, goal] = shown(f);
      const bad = (f.kind === "loss" && f.value !== 0) || (f.kind === "check" && f.value !== true);
      rows.push([name, figure, value, goal, bad ? "FAIL" : ""]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  const out = [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)];
  out.push("", report.ok ? `soak (${report.mode}): every loss figure is 0 (${report.seconds} s)` : `soak (${report.mode}): FAILED: ${report.failures.join(", ")}`);
  return out.join("\n");
}
