/**
 * `npm run soak -- --quick --database mariadb` as a child process, against the real MariaDB server:
 * campaigns single use, concurrent sign-ups, database faults (KILL CONNECTION) and hostile input,
 * with the same zero-loss figures as on PostgreSQL.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { SoakReport } from "../../soak/report";

/** Per campaign: the figures the issue names, and the count showing it did its work. */
const CAMPAIGNS: Record<string, { named: string[]; work: string }> = {
  singleUse: { named: ["tokenDoubleUses", "tokensLost"], work: "rounds" },
  concurrentSignups: { named: ["duplicateRows", "untypedErrors"], work: "races" },
  databaseFaults: { named: ["wrongAnswers", "hungCalls", "lostWrites"], work: "backendTerminations" },
  hostileInput: { named: ["crashes", "partialWrites", "sqlInjectionOtherRowsChanged", "poolRebuildsFromInput"], work: "calls" },
};

const root = resolve(__dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "soak-mariadb-"));
const out = join(dir, "reliability-report.json");
let run: { code: number | null; stderr: string };
let report: SoakReport;

beforeAll(async () => {
  run = await new Promise((done, fail) => {
    const child = spawn(process.execPath, ["-r", "@swc-node/register", "soak/main.ts", "--quick", "--database", "mariadb", "--out", out], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", fail);
    child.once("exit", (code) => done({ code, stderr }));
  });
  if (!existsSync(out)) throw new Error(`the soak wrote no report (exit ${run.code}):\n${run.stderr.slice(-4000)}`);
  report = JSON.parse(readFileSync(out, "utf8")) as SoakReport;
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the four campaigns ran on MariaDB, did their work and report the named figures", () => {
  expect(report.environment).toMatchObject({ mariadb: expect.stringMatching(/MariaDB/), driver: "mariadb" });
  expect(Object.keys(report.campaigns).sort()).toEqual(Object.keys(CAMPAIGNS).sort());
  for (const [name, { named, work }] of Object.entries(CAMPAIGNS)) {
    const campaign = report.campaigns[name as keyof typeof report.campaigns]!;
    expect({ name, error: campaign.error }).toEqual({ name, error: undefined });
    expect({ name, work: (campaign.figures[work]?.value as number) > 0 }).toEqual({ name, work: true });
    for (const figure of named) expect({ name, figure, present: figure in campaign.figures }).toEqual({ name, figure, present: true });
  }
});

test("every loss figure is 0 and the run exits 0", () => {
  for (const [name, campaign] of Object.entries(report.campaigns)) {
    for (const [figure, f] of Object.entries(campaign.figures)) {
      if (f.kind === "loss") expect({ where: `${name}.${figure}`, value: f.value, details: f.value === 0 ? undefined : campaign.details }).toEqual({ where: `${name}.${figure}`, value: 0, details: undefined });
    }
  }
  expect(report.ok).toBe(true);
  expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr.slice(-4000) }).toEqual({ code: 0, stderr: "" });
});
