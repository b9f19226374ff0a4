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
    const child = spawn("npm", ["run", "--silent", "check:package"], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
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
    expect(result.output).toMatch(/^check:package: OK in [\d.]+ s$/m);
  });
});
