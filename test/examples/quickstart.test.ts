import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";

const ROOT = resolve(__dirname, "../..");

/** Runs the quickstart exactly as `npm start` does (same node command, from the repository root). */
async function runQuickstart(): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // Without jest's NODE_ENV=test, which silences the kit's warnings: what `npm start` shows.
    const { NODE_ENV: _test, ...env } = process.env;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["-r", "@swc-node/register", "examples/quickstart/main.ts"], { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(error) };
  }
}

test("npm start signs ada@example.com in by e-mail, prints the session, and signs out", async () => {
  const run = await runQuickstart();
  // stderr first: on failure it holds the example's "Quickstart failed: <step>" line.
  expect(run.stderr).not.toMatch(/failed|error/i);
  expect(run.code).toBe(0);
  // No warning either (the kit warned that it had no secret while Auth() had one).
  expect(run.stderr).toBe("");
  const lines = run.stdout.trim().split("\n");
  const line = (step: number) => lines.find((l) => l.startsWith(`${step}. `)) ?? `(no line ${step})`;

  expect(line(3)).toMatch(/magic link: http:\/\/localhost:3000\/auth\/callback\/email\?.*token=<hidden>/);
  // The printed session is the JSON Auth.js answered for GET /auth/session.
  const session = JSON.parse(line(5).replace(/^5\. Session: /, "")) as { user: { email: string }; expires: string };
  expect(session.user.email).toBe("ada@example.com");
  expect(Date.parse(session.expires)).toBeGreaterThan(Date.now());
  expect(line(7)).toMatch(/^7\. Signed out/);
  expect(line(8)).toBe("8. Session after sign-out: null (no session)");
  expect(line(9)).toMatch(/deleted from the database/);
  expect(lines.at(-1)).toMatch(/^Done/);
  // The link's token is a secret: the example never prints it.
  expect(run.stdout).not.toMatch(/token=[0-9a-f]{16,}/);
}, 60_000);
