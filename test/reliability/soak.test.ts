/**
 * `npm run soak -- --quick` as a child process, against the real PostgreSQL and Redis: the test
 * reads reliability-report.json and fails on any loss figure that is not 0, any check that does
 * not hold, and any campaign that did not run to the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { SoakReport } from "../../soak/report";

/** The figures the issue names, per campaign: each must be in the report. */
const NAMED: Record<string, string[]> = {
  singleUse: ["tokenDoubleUses"],
  concurrentSignups: ["duplicateRows", "untypedErrors"],
  cacheCoherence: ["staleReadsAfterInvalidation", "hitRateRecoveredAfterRedisRestart"],
  databaseFaults: ["wrongAnswers", "hungCalls", "secondsToRecover"],
  hostileInput: ["crashes", "partialWrites", "sqlInjectionOtherRowsChanged", "prototypePolluted"],
  secrets: ["secretsInLogs", "rawTokensAtRest"],
  identityMap: ["crossRequestLeaks"],
  replicas: ["staleReadsFromReplica", "missedFreshSessions", "errorsDuringReplicaOutage", "replicaReadShare"],
  cluster: ["staleReadsAfterInvalidation"],
};

/** A count per campaign showing it did its work (a campaign that did nothing would report zero losses). */
const WORK: Record<string, string> = {
  singleUse: "rounds",
  concurrentSignups: "races",
  cacheCoherence: "reads",
  databaseFaults: "backendTerminations",
  hostileInput: "calls",
  secrets: "signInFlows",
  identityMap: "operations",
  replicas: "reads",
  cluster: "reads",
};

const root = resolve(__dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "soak-test-"));
const out = join(dir, "reliability-report.json");
let child: ChildProcess | undefined;
let run: { code: number | null; stdout: string; stderr: string };
let report: SoakReport;

beforeAll(async () => {
  run = await new Promise((done, fail) => {
    child = spawn(process.execPath, ["-r", "@swc-node/register", "soak/main.ts", "--quick", "--out", out], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", fail);
    child.once("exit", (code) => done({ code, stdout, stderr }));
  });
  if (!existsSync(out)) throw new Error(`the soak wrote no report (exit ${run.code}):\n${run.stderr.slice(-4000)}`);
  report = JSON.parse(readFileSync(out, "utf8")) as SoakReport;
}, 360_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

test("every campaign ran to the end and did its work", () => {
  expect(Object.keys(report.campaigns).sort()).toEqual(Object.keys(NAMED).sort());
  for (const [name, campaign] of Object.entries(report.campaigns)) {
    expect({ name, error: campaign.error }).toEqual({ name, error: undefined });
    const work = campaign.figures[WORK[name]!];
    expect({ name, work: typeof work?.value === "number" && work.value > 0 }).toEqual({ name, work: true });
  }
});

test.each(Object.entries(NAMED))("%s reports the figures the issue names", (name, figures) => {
  for (const figure of figures) expect({ figure, present: figure in (report.campaigns[name as keyof typeof report.campaigns]?.figures ?? {}) }).toEqual({ figure, present: true });
});

test("every loss figure is 0 and every check holds", () => {
  const seen: string[] = [];
  for (const [name, campaign] of Object.entries(report.campaigns)) {
    for (const [figure, f] of Object.entries(campaign.figures)) {
      const where = `${name}.${figure}`;
      if (f.kind === "loss") {
        seen.push(where);
        // The details name what went wrong: shown when the figure is not 0.
        expect({ where, value: f.value, details: f.value === 0 ? undefined : campaign.details }).toEqual({ where, value: 0, details: undefined });
      }
      if (f.kind === "check") expect({ where, value: f.value }).toEqual({ where, value: true });
    }
  }
  expect(seen.length).toBeGreaterThanOrEqual(Object.values(NAMED).flat().length - 2);
  expect(report.failures).toEqual([]);
  expect(report.ok).toBe(true);
});

test("the run exits 0 and prints the table", () => {
  expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr.slice(-4000) }).toEqual({ code: 0, stderr: "" });
  for (const name of Object.keys(NAMED)) expect(run.stdout).toContain(name);
  expect(run.stdout).toContain("every loss figure is 0");
});
