/** Step 1: `npm pack` (which runs `prepack`, the build) and the rules for what the tarball holds. */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { check, CheckFailure, run } from "./run";

export interface PackedFile {
  path: string;
  size: number;
}

export interface Tarball {
  /** Absolute path of the .tgz. */
  file: string;
  /** Bytes, compressed. */
  size: number;
  unpackedSize: number;
  files: PackedFile[];
  /** Where the tarball was extracted, to read what a user receives. */
  extracted: string;
}

/** Files every user must receive. */
const REQUIRED = ["package.json", "README.md", "CHANGELOG.md", "LICENSE", "plugins/session-cache/README.md", "dist/src/index.js", "dist/src/index.d.ts", "dist/plugins/index.js", "dist/plugins/index.d.ts"];

/** What must never ship: tests, example and benchmark sources, tooling and local files. */
const FORBIDDEN: readonly [RegExp, string][] = [
  [/(^|\/)test(s)?\//, "a test folder"],
  [/(^|\/)__tests__\//, "a test folder"],
  [/\.(test|spec)\.[cm]?[jt]sx?$/, "a test file"],
  [/^examples\//, "example sources"],
  [/^bench\//, "benchmarks"],
  [/^scripts\//, "repository scripts"],
  [/^scratch\//, "scratch files"],
  [/^\.ci\//, "CI files"],
  [/^src\//, "TypeScript sources"],
  [/^plugins\/.*\.[cm]?[jt]sx?$/, "plugin sources"],
  [/(^|\/)tsconfig[^/]*\.json$/, "a tsconfig"],
  [/(^|\/)jest\.config\./, "the jest config"],
  [/(^|\/)\.env(\.|$)/, "an .env file"],
  [/(^|\/)\.npmrc$/, "an .npmrc"],
  [/\.tgz$/, "a tarball"],
  [/(?<!\.d)\.[cm]?tsx?$/, "a TypeScript source (only .d.ts may ship)"],
];

/** Anything outside these top-level entries is a local file that slipped in. */
const TOP_LEVEL = new Set(["package.json", "README.md", "CHANGELOG.md", "LICENSE", "dist"]);
/** Documents the README links to, shipped at the same path so the links work in node_modules too. */
const LINKED_DOCS = new Set(["plugins/session-cache/README.md"]);

export async function packTarball(repo: string, work: string): Promise<Tarball> {
  const result = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: repo, timeoutMs: 5 * 60_000, env: process.env });
  // `npm pack --json` prints the JSON array on stdout; the prepack build writes to stderr.
  const start = result.stdout.indexOf("[");
  let info: { filename: string; size: number; unpackedSize: number; files: PackedFile[] }[];
  try {
    info = JSON.parse(result.stdout.slice(start)) as typeof info;
  } catch {
    throw new CheckFailure(`npm pack printed no JSON summary:\n${result.stdout.slice(0, 2000)}`);
  }
  const [packed] = info;
  const file = join(work, packed.filename);
  check(existsSync(file), `npm pack reported ${packed.filename} but ${file} does not exist`);
  const extracted = join(work, "extracted");
  mkdirSync(extracted);
  await run("tar", ["-xzf", file, "-C", extracted], { cwd: work });
  return { file, size: packed.size, unpackedSize: packed.unpackedSize, files: packed.files.map(({ path, size }) => ({ path, size })), extracted: join(extracted, "package") };
}

/** Checks the tarball against the rules above; throws one failure listing every problem. */
export function assertContents(tarball: Tarball): void {
  const paths = new Set(tarball.files.map((f) => f.path));
  const problems: string[] = [];
  for (const required of REQUIRED) if (!paths.has(required)) problems.push(`missing ${required}`);
  for (const path of paths) {
    if (!TOP_LEVEL.has(path.split("/")[0]) && !LINKED_DOCS.has(path)) problems.push(`unexpected top-level entry ${path}`);
    for (const [pattern, what] of FORBIDDEN) if (pattern.test(path)) problems.push(`${path} is ${what}`);
  }
  // Every module has its declaration file: TypeScript users can import anything the exports reach.
  for (const path of paths) {
    if (path.startsWith("dist/") && path.endsWith(".js") && !paths.has(path.replace(/\.js$/, ".d.ts"))) problems.push(`${path} has no .d.ts beside it`);
  }
  const pkg = JSON.parse(readFileSync(join(tarball.extracted, "package.json"), "utf8")) as PackageJson;
  for (const target of entryTargets(pkg)) if (!paths.has(target)) problems.push(`package.json points at ${target}, which is not in the tarball`);
  problems.push(...metadataProblems(pkg));
  // The build must keep decorator metadata (inversify reads constructor parameter types from it)
  // and the entry points must load reflect-metadata themselves.
  const built = (path: string) => readFileSync(join(tarball.extracted, path), "utf8");
  if (!tarball.files.some((f) => f.path.startsWith("dist/src/operations/") && built(f.path).includes('"design:paramtypes"'))) {
    problems.push("dist/src/operations has no design:paramtypes metadata: emitDecoratorMetadata is off in the build");
  }
  for (const entry of ["dist/src/index.js", "dist/plugins/index.js"]) {
    if (paths.has(entry) && !/require\("reflect-metadata"\)/.test(built(entry))) problems.push(`${entry} does not load reflect-metadata`);
  }
  if (problems.length) throw new CheckFailure(`the tarball is not what we mean to publish:\n  - ${problems.join("\n  - ")}`);
}

interface PackageJson {
  main?: string;
  types?: string;
  exports?: Record<string, string | Record<string, string>>;
  sideEffects?: unknown;
  files?: unknown;
  repository?: unknown;
  keywords?: unknown;
  description?: unknown;
  license?: unknown;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dependencies?: Record<string, string>;
}

function entryTargets(pkg: PackageJson): string[] {
  const targets = [pkg.main, pkg.types];
  for (const value of Object.values(pkg.exports ?? {})) targets.push(...(typeof value === "string" ? [value] : Object.values(value)));
  return targets.filter((t): t is string => typeof t === "string").map((t) => t.replace(/^\.\//, ""));
}

/** What a registry page shows, and the dependency rules from the issue. */
function metadataProblems(pkg: PackageJson): string[] {
  const problems: string[] = [];
  for (const key of ["description", "license", "repository", "keywords", "files", "sideEffects"] as const) {
    if (pkg[key] === undefined) problems.push(`package.json has no "${key}"`);
  }
  // One MikroORM, the app's: core and knex are required peers (npm installs them when the app has
  // none), the drivers and the migrator optional ones; never a dependency, which would nest a copy.
  for (const name of ["@mikro-orm/core", "@mikro-orm/knex"]) {
    if (!pkg.peerDependencies?.[name] || pkg.peerDependenciesMeta?.[name]?.optional) problems.push(`${name} must be a required peer dependency`);
  }
  for (const name of ["@mikro-orm/core", "@mikro-orm/knex", "@mikro-orm/postgresql", "@mikro-orm/mysql", "@mikro-orm/mariadb", "@mikro-orm/better-sqlite", "@mikro-orm/migrations"]) {
    if (pkg.dependencies?.[name]) problems.push(`${name} must not be a dependency (the app's MikroORM is the one the kit uses)`);
  }
  for (const name of ["@auth/core", "@mikro-orm/postgresql", "@mikro-orm/mysql", "@mikro-orm/mariadb", "@mikro-orm/better-sqlite", "@mikro-orm/migrations", "ioredis", "pino", "prom-client", "@opentelemetry/api"]) {
    if (!pkg.peerDependencies?.[name] || pkg.peerDependenciesMeta?.[name]?.optional !== true) problems.push(`${name} must be an optional peer dependency`);
    if (pkg.dependencies?.[name]) problems.push(`${name} must not be a dependency (users who do not need it should not install it)`);
  }
  return problems;
}
