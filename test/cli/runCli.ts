/** Runs the CLI as a user would: a separate node process on the TypeScript source (via @swc-node/register). */
import { execFile } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const MAIN = join(ROOT, "src", "cli", "main.ts");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `nextauth-adapter-kit ...args`. The environment is the test's own only: DATABASE_URL and
 * REDIS_URL of the machine never leak in.
 */
export function runCli(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["-r", require.resolve("@swc-node/register"), MAIN, ...args],
      { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        if (typeof code !== "number") return reject(error);
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** What a user reading a failure sees: exactly one line, and no stack frame. */
export function expectOneLine(result: CliResult): string {
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at |Error: .*\n/);
  return lines[0]!;
}
