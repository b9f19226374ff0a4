/**
 * Builds and starts examples/nextjs, for `npm run example:nextjs` and `npm run test:browser`: the
 * kit built and installed into the example, `next build`, then `next start` on a loopback port.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(__dirname, "..");
export const APP_DIR = join(ROOT, "examples", "nextjs");
const NEXT_BIN = join(APP_DIR, "node_modules", "next", "dist", "bin", "next");

/** Quiet child environment: no telemetry, no update checks. */
const BASE_ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };

function run(what: string, command: string, args: string[], cwd: string, log: string): void {
  const started = Date.now();
  // Bounded: a hung install or build fails the run instead of holding CI.
  const result = spawnSync(command, args, { cwd, env: { ...BASE_ENV, NODE_ENV: undefined }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  createWriteStream(log, { flags: "a" }).end(`\n$ ${command} ${args.join(" ")} (in ${cwd})\n${output}`);
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}); output in ${log}\n${output.slice(-3000)}`);
  console.log(`  ${what}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Builds the kit, installs it into the example as a copy (examples/nextjs/.npmrc: install-links),
 * fresh each time so the app runs this checkout's kit, with the example's other dependencies, then
 * builds the app.
 */
export function buildApp(log: string): void {
  run("kit build (npm run build)", "npm", ["run", "build"], ROOT, log);
  rmSync(join(APP_DIR, "node_modules", "nextauth-adapter-kit"), { recursive: true, force: true });
  run("npm install (examples/nextjs)", "npm", ["install", "--no-audit", "--no-fund"], APP_DIR, log);
  run("next build", process.execPath, [NEXT_BIN, "build"], APP_DIR, log);
}

export interface RunningApp {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code once the server stopped. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** `next start` with `env` (on top of a production environment), output appended to `log` (and echoed when asked). */
export function startApp(port: number, env: Record<string, string | undefined>, log: string, echo = false): RunningApp {
  const out = createWriteStream(log, { flags: "a" });
  out.write(`\n$ next start -p ${port} (${Object.keys(env).filter((k) => env[k] !== undefined).join(", ")})\n`);
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: APP_DIR,
    env: { ...BASE_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  if (echo) {
    child.stdout!.pipe(process.stdout, { end: false });
    child.stderr!.pipe(process.stderr, { end: false });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, "SIGTERM");
        } catch {
          // already gone
        }
        const killer = setTimeout(() => {
          try {
            process.kill(-child.pid!, "SIGKILL");
          } catch {
            // already gone
          }
        }, 5000);
        await exited;
        clearTimeout(killer);
      }
      out.end();
    },
  };
}

/** Polls until the app answers `/` (or it exits, or 60 s pass). */
export async function untilServing(app: RunningApp): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  void app.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`${app.url}/`, { redirect: "manual" });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(exited ? "the app exited during start" : "the app did not answer within 60 s");
}

/** The server log's last lines, for a failure message. */
export function tail(log: string, lines = 40): string {
  return existsSync(log) ? readFileSync(log, "utf8").split("\n").slice(-lines).join("\n") : "";
}
