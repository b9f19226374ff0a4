/**
 * Steps 2-4: consumer apps outside the repository. One app folder is installed once and grown:
 * first the tarball alone (no optional peer: imports, side effects, clear errors for missing
 * packages), then the peers a real app adds (@auth/core, the SQLite driver, TypeScript), with the
 * ESM, CommonJS and TypeScript consumers in subfolders sharing its node_modules.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { check, cleanEnv, run } from "./run";

export const APPS = join(__dirname, "apps");

/**
 * Exactly what the repository tests against, so the check exercises the versions we vouch for; and
 * tsx, a runner with TC39 decorators only (esbuild), for the TC39 consumer.
 */
export const PEERS_FOR_APPS = ["@auth/core@0.41.3", "@mikro-orm/better-sqlite@6.6.16", "typescript@5.9.3", "@types/node@20.19.43", "tsx@4.23.15"];

export function createApp(work: string, tarballFile: string, folder = "app"): string {
  const app = join(work, folder);
  mkdirSync(app);
  // allowScripts as the README tells apps: an npm that skips unapproved install scripts would leave
  // better-sqlite3 unbuilt.
  const manifest = { name: "package-check-app", version: "1.0.0", private: true, dependencies: { "nextauth-adapter-kit": `file:${tarballFile}` }, allowScripts: { "better-sqlite3": true } };
  writeFileSync(join(app, "package.json"), JSON.stringify(manifest, null, 2));
  return app;
}

/**
 * `npm install` as a user runs it: none of the repository's npm settings (our .npmrc sets
 * legacy-peer-deps for next-auth@3, a test-only package), and peer dependencies enforced, so a
 * published peer range that cannot resolve fails here.
 */
export async function npmInstall(app: string, packages: readonly string[] = []): Promise<number> {
  const args = ["install", "--no-audit", "--no-fund", "--prefer-offline", "--legacy-peer-deps=false", "--save-exact", ...packages];
  const result = await run("npm", args, { cwd: app, timeoutMs: 10 * 60_000, env: cleanEnv() });
  // npm 11.16+ lists install scripts the app has not approved; the README's advice must cover ours.
  check(!/install-scripts\s+better-sqlite3@/.test(result.stderr), `npm lists better-sqlite3's install script as not approved although the app approves it:\n${result.stderr}`);
  return result.ms;
}

/** Copies a fixture from `apps/` into the consumer app. */
export function place(app: string, fixture: string, target: string, packageType?: "module" | "commonjs"): string {
  const path = join(app, target);
  mkdirSync(join(path, ".."), { recursive: true });
  copyFileSync(join(APPS, fixture), path);
  if (packageType) writeFileSync(join(path, "..", "package.json"), JSON.stringify({ type: packageType }));
  return path;
}

interface ProbeReport {
  before: { resources: string[]; handles: number };
  after: { resources: string[]; handles: number };
  hadReflect: boolean;
  hasReflect: boolean;
  exports: string[];
  pluginExports: string[];
  optionalLoaded: string[];
}

/** In-flight file system requests of the module loader itself come and go; they are not the package's. */
const LOADER_NOISE = /^(FSReqCallback|FSReqPromise|CloseReq|FileHandleCloseReq)$/;

/**
 * Imports both entry points in a fresh process (require, or import from an ES module) and checks
 * that this opened nothing, started no timer, printed nothing, loaded reflect-metadata and no
 * optional peer, and that the process exits on its own.
 */
export async function probeImports(app: string, style: "require" | "import"): Promise<void> {
  const script = place(app, style === "require" ? "import-probe.cjs" : "import-probe.mjs", style === "require" ? "import-probe.cjs" : "import-probe.mjs");
  const reportFile = join(app, `import-probe-${style}.json`);
  const result = await run("node", [script, reportFile], { cwd: app, timeoutMs: 20_000, allowFailure: true });
  const what = `importing the package (${style})`;
  check(!result.timedOut, `${what}: the process did not exit on its own within 20 s (a timer or a connection keeps it alive)`);
  check(result.code === 0, `${what} failed with exit code ${result.code}:\n${result.stderr}`);
  check(result.stdout === "" && result.stderr === "", `${what} printed something:\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as ProbeReport;
  const added = without(report.after.resources, report.before.resources).filter((r) => !LOADER_NOISE.test(r));
  check(added.length === 0 && report.after.handles <= report.before.handles, `${what} left active resources behind: ${JSON.stringify(added)} (handles ${report.before.handles} -> ${report.after.handles})`);
  check(!report.hadReflect && report.hasReflect, `${what} must load reflect-metadata itself (before: ${report.hadReflect}, after: ${report.hasReflect})`);
  check(report.exports.length === 4 && report.pluginExports.length === 4, `${what}: named exports missing: got ${JSON.stringify(report.exports)} and ${JSON.stringify(report.pluginExports)}`);
  check(report.optionalLoaded.length === 0, `${what} loaded optional peers at import time: ${report.optionalLoaded.join(", ")}`);
}

/** Elements of `after` beyond those in `before`, counting repeats. */
function without(after: string[], before: string[]): string[] {
  const left = [...before];
  return after.filter((item) => {
    const i = left.indexOf(item);
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}

/** Runs a consumer script with node; it must exit 0 on its own. Returns its output. */
export async function runNode(app: string, script: string, label: string, options: { args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const result = await run("node", [script, ...(options.args ?? [])], { cwd: app, timeoutMs: 90_000, allowFailure: true, env: options.env && cleanEnv(options.env) });
  check(!result.timedOut, `${label}: did not exit on its own within 90 s (a kit left open, or a handle leaked)`);
  check(result.code === 0, `${label} failed with exit code ${result.code}:\n${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}
