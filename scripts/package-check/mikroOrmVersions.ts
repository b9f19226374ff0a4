/**
 * MikroORM is a peer dependency with a tested range: the kit runs on the app's copy. For the oldest
 * and the newest version of that range, an app installs the tarball next to that version and, on a
 * fresh PostgreSQL database, runs kit.migrate() and a sign-in on the kit's ORM and another on an
 * ORM the app initialised; `npm ls @mikro-orm/core` must show one version. In the newest app, two
 * mismatches follow (a package MikroORM's own check refuses, then a driver of another version):
 * each must be an AdapterError CONFIGURATION naming both versions.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase } from "../../test/support/database";
import { createApp, npmInstall, place, runNode } from "./consumers";
import { check, cleanEnv, run } from "./run";

/** The range package.json publishes, e.g. ">=6.2.0 <=6.6.16". */
export function mikroOrmRange(repo: string): { range: string; oldest: string; newest: string } {
  const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
  const range = pkg.peerDependencies["@mikro-orm/core"] ?? "";
  const match = /^>=(\d+\.\d+\.\d+) <=(\d+\.\d+\.\d+)$/.exec(range);
  check(match, `peerDependencies["@mikro-orm/core"] must be ">=oldest <=newest", is "${range}"`);
  for (const name of ["@mikro-orm/knex", "@mikro-orm/postgresql", "@mikro-orm/better-sqlite", "@mikro-orm/migrations"]) {
    check(pkg.peerDependencies[name] === range, `peerDependencies["${name}"] must be the same range as @mikro-orm/core (${range}), is "${pkg.peerDependencies[name]}"`);
  }
  return { range, oldest: match[1]!, newest: match[2]! };
}

/** The packages an app on PostgreSQL lists, all at `version`. */
export const postgresPackages = (version: string) => ["core", "knex", "postgresql", "migrations"].map((name) => `@mikro-orm/${name}@${version}`);

/** Runs the migrate + two sign-ins consumer in `app` on a fresh database; returns its line. */
export async function signInWithMikroOrm(app: string): Promise<string> {
  place(app, "auth-signin.mjs", "orm/auth-signin.mjs");
  const script = place(app, "orm-version-signin.mjs", "orm/main.mjs", "module");
  const database = await createTestDatabase();
  try {
    return await runNode(app, script, "the PostgreSQL app", { env: { DATABASE_URL: database.url } });
  } finally {
    await database.drop();
  }
}

/** Fails unless `npm ls @mikro-orm/core` shows exactly one version in the app; returns it. */
export async function oneCoreVersion(app: string): Promise<string> {
  const ls = await run("npm", ["ls", "@mikro-orm/core", "--all", "--json"], { cwd: app, env: cleanEnv(), allowFailure: true });
  const versions = new Set<string>();
  const walk = (node: { version?: string; dependencies?: Record<string, unknown> }, name?: string) => {
    if (name === "@mikro-orm/core" && node.version) versions.add(node.version);
    for (const [child, value] of Object.entries(node.dependencies ?? {})) walk(value as typeof node, child);
  };
  walk(JSON.parse(ls.stdout || "{}"));
  check(versions.size === 1, `npm ls @mikro-orm/core shows ${versions.size} versions (${[...versions].join(", ")}), expected one:\n${ls.stdout.slice(0, 3000)}`);
  return [...versions][0]!;
}

/**
 * The oldest version in an app of its own: first without @mikro-orm/migrations (the kit must name
 * it at that version), then the sign-ins and one copy. Returns the hint and the report lines.
 */
export async function checkOldest(work: string, tarballFile: string, oldest: string): Promise<{ hint: string; lines: string[] }> {
  const app = createApp(work, tarballFile, "app-oldest");
  const migrations = `@mikro-orm/migrations@${oldest}`;
  await npmInstall(app, [...postgresPackages(oldest).filter((p) => p !== migrations), "@auth/core@0.41.3"]);
  // Without the optional package, the kit names it at the app's version (not the newest it supports).
  const hint = await runNode(app, place(app, "migrations-hint.mjs", "orm/migrations-hint.mjs", "module"), "the app without @mikro-orm/migrations", { args: [oldest] });
  await npmInstall(app, [migrations]);
  const lines = [await signInWithMikroOrm(app)];
  const one = await oneCoreVersion(app);
  check(one === oldest, `the oldest app runs @mikro-orm/core ${one}, expected ${oldest}`);
  lines.push(`npm ls @mikro-orm/core: one version, ${one}`);
  return { hint, lines };
}

/**
 * In the app on `core` (last step: it leaves the app inconsistent), two mismatches with `other`:
 * a package MikroORM's own start-up check refuses (listed in the app at another version than
 * core), then a driver of another version, which the kit's own check refuses before MikroORM starts.
 */
export async function checkMismatches(app: string, core: string, other: string): Promise<string[]> {
  await npmInstall(app, [`@mikro-orm/seeder@${other}`]);
  const first = await mismatch(app, "@mikro-orm/seeder", other, core);
  await npmInstall(app, [`@mikro-orm/postgresql@${other}`]);
  return [first, await mismatch(app, "@mikro-orm/postgresql", other, core)];
}

async function mismatch(app: string, pkg: string, version: string, core: string): Promise<string> {
  const script = place(app, "orm-mismatch.mjs", "orm/mismatch.mjs", "module");
  const database = await createTestDatabase();
  try {
    return await runNode(app, script, `the app with ${pkg} ${version} and @mikro-orm/core ${core}`, { args: [pkg, version, core], env: { DATABASE_URL: database.url } });
  } finally {
    await database.drop();
  }
}
