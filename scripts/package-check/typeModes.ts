/**
 * Step 5: the TypeScript consumers, type-checked against the installed tarball under each module
 * resolution users pick, with legacy decorators (experimentalDecorators + emitDecoratorMetadata)
 * and with TC39 decorators. The nodenext builds are also emitted and run.
 *
 * skipLibCheck is on, as in Next.js and Auth.js apps: @auth/core's own declarations do not
 * compile without it (they import optional packages such as nodemailer).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { place, runNode } from "./consumers";
import { check, run, tail } from "./run";

export type DecoratorMode = "legacy" | "tc39";

interface Resolution {
  /** Shown in the summary. */
  name: string;
  moduleResolution: string;
  module: string;
  /** The consumer folder's package.json "type". */
  packageType: "module" | "commonjs";
  /** Emit and run the compiled consumer too. */
  runs?: boolean;
}

export const RESOLUTIONS: readonly Resolution[] = [
  { name: "node16", moduleResolution: "node16", module: "node16", packageType: "module" },
  { name: "nodenext", moduleResolution: "nodenext", module: "nodenext", packageType: "module", runs: true },
  { name: "bundler/esnext", moduleResolution: "bundler", module: "esnext", packageType: "module" },
  { name: "bundler/preserve", moduleResolution: "bundler", module: "preserve", packageType: "module" },
  // Older apps still on "node" (node10) resolution reach ./plugins through typesVersions.
  { name: "node10", moduleResolution: "node10", module: "commonjs", packageType: "commonjs" },
];

/** Which consumer file each decorator mode compiles (TC39 has no parameter decorators, so no @inject). */
const CONSUMER: Record<DecoratorMode, string> = { legacy: "consumer-legacy-decorators.ts.txt", tc39: "consumer-tc39-decorators.ts.txt" };

export interface TypeResult {
  resolution: string;
  decorators: DecoratorMode;
  ran: boolean;
}

export async function checkTypes(app: string): Promise<TypeResult[]> {
  const jobs: (() => Promise<TypeResult>)[] = [];
  for (const resolution of RESOLUTIONS) {
    for (const decorators of ["legacy", "tc39"] as const) jobs.push(() => checkOne(app, resolution, decorators));
  }
  // Two at a time: the machine (and CI) has two cores.
  const results: TypeResult[] = [];
  const queue = [...jobs];
  await Promise.all([0, 1].map(async () => {
    for (let job = queue.shift(); job; job = queue.shift()) results.push(await job());
  }));
  // Completion order varies; report in the order of RESOLUTIONS.
  const rank = (r: TypeResult) => RESOLUTIONS.findIndex((x) => x.name === r.resolution);
  return results.sort((a, b) => rank(a) - rank(b));
}

async function checkOne(app: string, resolution: Resolution, decorators: DecoratorMode): Promise<TypeResult> {
  const dir = join(app, "types", `${resolution.name.replace("/", "-")}-${decorators}`);
  place(app, CONSUMER[decorators], join(dir.slice(app.length + 1), "consumer.ts"), resolution.packageType);
  const compilerOptions = {
    strict: true,
    target: "ES2022",
    module: resolution.module,
    moduleResolution: resolution.moduleResolution,
    types: ["node"],
    skipLibCheck: true,
    ...(decorators === "legacy" ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {}),
    ...(resolution.runs ? { outDir: "out" } : { noEmit: true }),
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["consumer.ts"] }, null, 2));
  const label = `tsc (moduleResolution ${resolution.name}, ${decorators} decorators)`;
  const tsc = await run("node", [join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: dir, timeoutMs: 3 * 60_000, allowFailure: true });
  check(!tsc.timedOut && tsc.code === 0, `${label} failed:\n${tail(tsc.stdout, tsc.stderr)}`);
  if (resolution.runs) await runNode(dir, join("out", "consumer.js"), `the compiled consumer (${label})`);
  return { resolution: resolution.name, decorators, ran: !!resolution.runs };
}

/** Optional peers whose types the published declarations must not need. */
export const UNTYPED_PEERS = ["@mikro-orm/migrations", "prom-client", "@opentelemetry/api"];

/**
 * An app with `skipLibCheck: false` and none of UNTYPED_PEERS installed compiles against every
 * declaration the two entry points reach (it imports nothing from @auth/core, whose own
 * declarations need skipLibCheck).
 */
export async function checkStrictLibs(app: string): Promise<void> {
  for (const name of UNTYPED_PEERS) {
    const probe = await run("node", ["-e", `require.resolve(${JSON.stringify(`${name}/package.json`)})`], { cwd: app, allowFailure: true });
    check(probe.code !== 0, `${name} is installed in the app: the strict compile must run without it`);
  }
  const dir = join(app, "types", "strict-lib");
  place(app, "consumer-strict-lib.ts.txt", join("types", "strict-lib", "consumer.ts"), "module");
  const compilerOptions = { strict: true, target: "ES2022", module: "nodenext", moduleResolution: "nodenext", types: ["node"], skipLibCheck: false, noEmit: true };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["consumer.ts"] }, null, 2));
  const tsc = await run("node", [join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: dir, timeoutMs: 3 * 60_000, allowFailure: true });
  check(!tsc.timedOut && tsc.code === 0, `tsc with skipLibCheck: false (without ${UNTYPED_PEERS.join(", ")}) failed:\n${tail(tsc.stdout, tsc.stderr)}`);
}

/** Runs the TC39 consumer under tsx (esbuild: TC39 decorators only, no decorator metadata). */
export async function runTc39WithTsx(app: string): Promise<string> {
  const dir = join(app, "types", "tsx-tc39");
  place(app, CONSUMER.tc39, join("types", "tsx-tc39", "consumer.ts"), "module");
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "nodenext", moduleResolution: "nodenext" } }, null, 2));
  return runNode(dir, join(app, "node_modules", "tsx", "dist", "cli.mjs"), "the TC39 consumer under tsx", { args: ["consumer.ts"] });
}
