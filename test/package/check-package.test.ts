/**
 * Runs `npm run check:package`: pack the library, install the tarball into consumer apps outside
 * the repository (ESM, CommonJS, TypeScript under each module resolution) and run them. Slow (an
 * npm install that compiles better-sqlite3), so it runs once, as a child process.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";

const REPO = resolve(__dirname, "../..");
const TEN_MINUTES = 10 * 60_000;

function checkPackage(): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    // Both ends of the MikroORM range: the oldest one's app is pure JavaScript (PostgreSQL), seconds.
    const env = { ...process.env, CHECK_PACKAGE_NEWEST_ONLY: "0" };
    const child = spawn("npm", ["run", "--silent", "check:package"], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGTERM"), TEN_MINUTES - 10_000);
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe("npm run check:package", () => {
  let result: { code: number | null; output: string };
  beforeAll(async () => {
    result = await checkPackage();
  }, TEN_MINUTES);

  test("exits 0", () => {
    // On failure, the check's own explanation is the useful message.
    if (result.code !== 0) throw new Error(`check:package exited with ${result.code}:\n${result.output.slice(-6000)}`);
  });

  test("prints the tarball's size and file list, and the contents pass", () => {
    expect(result.output).toMatch(/^check:package: packed nextauth-adapter-kit-[\d.]+\.tgz: [\d.]+ kB \([\d.]+ kB unpacked\), \d+ files$/m);
    expect(result.output).toMatch(/^ +\d+ +dist\/src\/index\.d\.ts$/m);
    expect(result.output).toMatch(/^ +\d+ +LICENSE$/m);
    expect(result.output).toMatch(/^check:package: contents OK/m);
  });

  test("importing the package has no side effect and needs no optional peer", () => {
    expect(result.output).toMatch(/^check:package: import side effects: none/m);
    expect(result.output).toMatch(/^ +missing @mikro-orm\/better-sqlite: .*AdapterError CONFIGURATION/m);
    expect(result.output).toMatch(/^check:package: without optional peers: both entry points load/m);
  });

  test("the ESM app signs in through @auth/core and the CommonJS app runs kit.legacy", () => {
    expect(result.output).toMatch(/^check:package: ESM app OK: esm: signed in esm@example\.com through @auth\/core/m);
    expect(result.output).toMatch(/^check:package: CommonJS app OK: cjs: kit\.legacy created user cjs@example\.com/m);
  });

  test("types compile under node16, nodenext, bundler and node10, with legacy and TC39 decorators", () => {
    expect(result.output).toMatch(/^check:package: types OK with experimentalDecorators: node16, nodenext \(compiled and ran\), bundler\/esnext, bundler\/preserve, node10$/m);
    expect(result.output).toMatch(/^check:package: types OK with TC39 decorators \(no @inject\): node16, nodenext \(compiled and ran\), bundler\/esnext, bundler\/preserve, node10$/m);
  });

  test("a TC39-only runner (tsx) runs a custom operation with an injected store; skipLibCheck: false compiles without the optional type packages", () => {
    expect(result.output).toMatch(/^check:package: TC39 consumer under tsx OK: types: @Operation with an injected store \(inject list\)/m);
    expect(result.output).toMatch(/^check:package: types OK with skipLibCheck: false and without @mikro-orm\/migrations, prom-client, @opentelemetry\/api$/m);
  });

  test("MikroORM is the app's: the newest and the oldest version of the range sign in, with one copy, and mismatches are CONFIGURATION", () => {
    const line = (version: string): RegExp => new RegExp(`^check:package: MikroORM ${version.replace(/\./g, "\\.")} \\((newest|oldest) of >=\\S+ <=\\S+\\): mikro-orm ${version.replace(/\./g, "\\.")}: kit\\.migrate\\(\\) and a sign-in on the kit's ORM, a sign-in on the app's own ORM; npm ls @mikro-orm/core: one version, ${version.replace(/\./g, "\\.")}$`, "m");
    const range = /^check:package: MikroORM (\S+) \(newest of >=(\S+) <=\S+\)/m.exec(result.output);
    expect(range).not.toBeNull();
    const [, newest, oldest] = range!;
    expect(result.output).toMatch(line(newest!));
    expect(result.output).toMatch(/^check:package: OK in [\d.]+ s$/m);
    expect(result.output).toMatch(new RegExp(`^check:package: mismatched MikroORM versions -> CONFIGURATION: .*@mikro-orm/core ${newest!.replace(/\./g, "\\.")} but @mikro-orm/seeder ${oldest!.replace(/\./g, "\\.")} \\(MikroORM's own version check\\)`, "m"));
    expect(result.output).toMatch(new RegExp(`^check:package: mismatched MikroORM versions -> CONFIGURATION: .*@mikro-orm/core ${newest!.replace(/\./g, "\\.")} but @mikro-orm/postgresql ${oldest!.replace(/\./g, "\\.")};`, "m"));
    expect(result.output).toMatch(line(oldest!));
    // An app on the oldest version is told to install @mikro-orm/migrations at its own version.
    expect(result.output).toMatch(new RegExp(`^check:package: MikroORM ${oldest!.replace(/\./g, "\\.")} without @mikro-orm/migrations -> CONFIGURATION: kit\\.migrate\\(\\) needs the optional package "@mikro-orm/migrations@${oldest!.replace(/\./g, "\\.")}"`, "m"));
  });
});
