/** Child processes for the package check: every command is logged, bounded in time and fails loudly. */
import { spawn } from "node:child_process";

export interface RunOptions {
  cwd: string;
  /** Longest the command may take before it is killed and the check fails. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Return the result even when the command exits non-zero (the caller inspects it). */
  allowFailure?: boolean;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

/** A failed step: the message is what the check prints before exiting non-zero. */
export class CheckFailure extends Error {
  override readonly name = "CheckFailure";
}

/**
 * npm run exports `npm_config_*` for the repository's settings (e.g. legacy-peer-deps from our
 * .npmrc); the consumer apps must see none of that, only what a user's plain `npm` would do.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== "NODE_OPTIONS" && key !== "INIT_CWD") env[key] = value;
  }
  return { ...env, ...extra };
}

export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new CheckFailure(`could not start \`${command}\`: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout, stderr, timedOut, ms: Date.now() - started };
      const line = `${command} ${args.join(" ")}`;
      if (timedOut && !options.allowFailure) {
        reject(new CheckFailure(`\`${line}\` (in ${options.cwd}) did not finish within ${timeoutMs} ms\n${tail(stdout, stderr)}`));
      } else if (code !== 0 && !options.allowFailure) {
        reject(new CheckFailure(`\`${line}\` (in ${options.cwd}) exited with ${code ?? signal}\n${tail(stdout, stderr)}`));
      } else {
        resolve(result);
      }
    });
  });
}

/** The end of a command's output, enough to see why it failed. */
export function tail(stdout: string, stderr: string, lines = 40): string {
  const last = (text: string) => text.trimEnd().split("\n").slice(-lines).join("\n");
  return [stdout.trim() && `--- stdout ---\n${last(stdout)}`, stderr.trim() && `--- stderr ---\n${last(stderr)}`].filter(Boolean).join("\n");
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}
