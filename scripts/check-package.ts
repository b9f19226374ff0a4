/**
 * `npm run check:package`: proves that what we would publish works where users install it.
 *
 * 1. `npm pack` (prepack runs the build) into a temp folder; prints the size and file list and
 *    checks the contents and package.json metadata.
 * 2. A consumer app outside the repository installs the tarball alone with plain npm: both entry
 *    points import without any optional peer, with no side effect (no handle, no timer, no output),
 *    and each feature whose package is missing fails with a clear AdapterError CONFIGURATION.
 * 3. The app adds @auth/core, the SQLite driver and TypeScript: an ESM app signs in by e-mail
 *    through Auth() on the embedded default; a CommonJS app does the NextAuth v3 flow via kit.legacy.
 * 4. TypeScript consumers compile under node16, nodenext, bundler (esnext, preserve) and node10,
 *    with legacy and TC39 decorators; the nodenext builds run, and the TC39 one also runs under tsx
 *    (TC39 decorators only). An app with skipLibCheck: false compiles without @mikro-orm/migrations,
 *    prom-client and @opentelemetry/api.
 * 5. MikroORM, a peer dependency: with the newest and the oldest version of the published range, an
 *    app runs kit.migrate() and sign-ins on PostgreSQL (the kit's ORM and the app's own), and
 *    `npm ls @mikro-orm/core` shows one version; then mismatched versions fail with CONFIGURATION.
 *    CHECK_PACKAGE_NEWEST_ONLY=1 skips the oldest version (a quicker local run; the jest suite runs both).
 *
 * Exits non-zero with the reason on the first failure. Temp folders are removed either way.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { createApp, npmInstall, PEERS_FOR_APPS, place, probeImports, runNode } from "./package-check/consumers";
import { CheckFailure } from "./package-check/run";
import { assertContents, packTarball } from "./package-check/tarball";
import { checkMismatches, checkOldest, mikroOrmRange, oneCoreVersion, postgresPackages, signInWithMikroOrm } from "./package-check/mikroOrmVersions";
import { checkStrictLibs, checkTypes, runTc39WithTsx, UNTYPED_PEERS } from "./package-check/typeModes";

const REPO = resolve(__dirname, "..");
const started = Date.now();

const say = (line: string) => console.log(`check:package: ${line}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

async function main(work: string): Promise<void> {
  // Consumers must not find the repository's node_modules or .npmrc by walking up from their folder.
  if (!relative(REPO, work).startsWith("..")) throw new CheckFailure(`the temp folder ${work} is inside the repository: set TMPDIR elsewhere`);
  const tarball = await packTarball(REPO, work);
  say(`packed ${relative(work, tarball.file)}: ${kB(tarball.size)} (${kB(tarball.unpackedSize)} unpacked), ${tarball.files.length} files`);
  for (const file of tarball.files) console.log(`  ${String(file.size).padStart(7)}  ${file.path}`);
  assertContents(tarball);
  say("contents OK: dist/ with .d.ts, README.md (and the session cache README it links to), CHANGELOG.md, LICENSE; no tests, sources, examples, benchmarks or local files");

  const app = createApp(work, tarball.file);
  const bare = await npmInstall(app);
  say(`installed the tarball alone with plain npm in ${seconds(bare)}`);
  await probeImports(app, "require");
  await probeImports(app, "import");
  say("import side effects: none (require and import: no connection, no timer, no output, reflect-metadata loaded, exits on its own)");
  const missing = await runNode(app, place(app, "missing-peers.cjs", "missing-peers.cjs"), "the app without optional peers");
  for (const line of missing.split("\n")) console.log(`  ${line}`);
  say("without optional peers: both entry points load, memory stores work, a missing package fails with AdapterError CONFIGURATION naming it");

  const full = await npmInstall(app, PEERS_FOR_APPS);
  say(`added ${PEERS_FOR_APPS.join(", ")} in ${seconds(full)}`);
  await probeImports(app, "require"); // the peers are installed now, and still not loaded at import
  place(app, "auth-signin.mjs", "esm/auth-signin.mjs");
  const esm = await runNode(app, place(app, "esm-signin.js", "esm/main.js", "module"), "the ESM app");
  say(`ESM app OK: ${esm}`);
  const cjs = await runNode(app, place(app, "cjs-legacy.js", "cjs/main.js", "commonjs"), "the CommonJS app");
  say(`CommonJS app OK: ${cjs}`);

  const types = await checkTypes(app);
  for (const decorators of ["legacy", "tc39"] as const) {
    const modes = types.filter((t) => t.decorators === decorators).map((t) => (t.ran ? `${t.resolution} (compiled and ran)` : t.resolution));
    const label = decorators === "legacy" ? "experimentalDecorators" : "TC39 decorators (no @inject)";
    say(`types OK with ${label}: ${modes.join(", ")}`);
  }
  say(`TC39 consumer under tsx OK: ${await runTc39WithTsx(app)}`);
  await checkStrictLibs(app);
  say(`types OK with skipLibCheck: false and without ${UNTYPED_PEERS.join(", ")}`);

  const { range, oldest, newest } = mikroOrmRange(REPO);
  const pg = await npmInstall(app, postgresPackages(newest));
  say(`added ${postgresPackages(newest).join(", ")} in ${seconds(pg)}`);
  say(`MikroORM ${newest} (newest of ${range}): ${await signInWithMikroOrm(app)}; npm ls @mikro-orm/core: one version, ${await oneCoreVersion(app)}`);
  for (const line of await checkMismatches(app, newest, oldest)) say(`mismatched MikroORM versions -> ${line}`);
  if (process.env.CHECK_PACKAGE_NEWEST_ONLY === "1") {
    say(`MikroORM ${oldest} (oldest of ${range}): skipped (CHECK_PACKAGE_NEWEST_ONLY=1)`);
    return;
  }
  const oldestStarted = Date.now();
  const { hint, lines } = await checkOldest(work, tarball.file, oldest);
  say(`MikroORM ${oldest} without @mikro-orm/migrations -> ${hint}`);
  say(`MikroORM ${oldest} (oldest of ${range}): ${lines.join("; ")}`);
  say(`the oldest MikroORM's app and its sign-ins took ${seconds(Date.now() - oldestStarted)}`);
}

const work = mkdtempSync(join(tmpdir(), "nextauth-adapter-kit-check-"));
const cleanUp = () => rmSync(work, { recursive: true, force: true });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(1);
  });
}

main(work)
  .then(() => say(`OK in ${seconds(Date.now() - started)}`))
  .catch((error: unknown) => {
    const message = error instanceof CheckFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`check:package: FAILED after ${seconds(Date.now() - started)}\n${message}`);
    process.exitCode = 1;
  })
  .finally(cleanUp);
