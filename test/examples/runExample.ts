/** Runs an example the way `npm run example -- <name>` does, and splits what it printed into lines. */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";

export const ROOT = resolve(__dirname, "../..");

export interface ExampleRun {
  code: number;
  stdout: string;
  stderr: string;
  lines: string[];
  /** The first line starting with `prefix` ("(no line ...)" when none, so a failed match says what was missing). */
  line(prefix: string): string;
}

/** `node -r @swc-node/register <file> ...args` from the repository root, with extra environment variables. */
export async function runNode(file: string, args: string[] = [], env: Record<string, string> = {}): Promise<ExampleRun> {
  let result: { code: number; stdout: string; stderr: string };
  try {
    // The timeout only stops a hung example (it must exit by itself); it asserts nothing about speed.
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["-r", "@swc-node/register", file, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeout: 90_000,
    });
    result = { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    result = { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(error) };
  }
  const lines = result.stdout.trimEnd().split("\n");
  return { ...result, lines, line: (prefix) => lines.find((l) => l.startsWith(prefix)) ?? `(no line starting "${prefix}")` };
}

export function runExample(name: string, env: Record<string, string> = {}): Promise<ExampleRun> {
  return runNode(`examples/${name}/main.ts`, [], env);
}

/** The example finished cleanly: exit code 0, nothing on stderr that reads as a failure. */
export function expectSuccess(run: ExampleRun): void {
  // stderr first: on failure it holds the example's "<name> example failed: <why>" line.
  expect(run.stderr).not.toMatch(/failed|error/i);
  expect(run.code).toBe(0);
  expect(run.lines.at(-1)).toMatch(/^Done/);
}
