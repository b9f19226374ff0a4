/**
 * npm run test:browser: the Next.js example (examples/nextjs) built and started in production mode
 * on its own PostgreSQL database and Redis, driven by Debian's Chromium through playwright-core as
 * a person would use it. Prints one line per step and closes with "browser: N passed, M failed";
 * exits non-zero on any failure, leaving the failing page's screenshot and the server log.
 *
 *   --update-docs   also write the screenshots to examples/nextjs/docs/
 *   --skip-build    reuse the last build (while iterating on the steps)
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { freePort, RedisServer } from "../support/redisServer";
import { APP_DIR, buildApp, ROOT, startApp, tail, untilServing, type RunningApp } from "../../scripts/nextjs-example";
import { lastPage, steps, type Step } from "./steps";

const ARTIFACTS = join(ROOT, ".browser-test");
const SERVER_LOG = join(ARTIFACTS, "server.log");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-quic",
  "--disable-sync",
];
const argv = new Set(process.argv.slice(2));

interface Outcome {
  name: string;
  error?: string;
}

const outcomes: Outcome[] = [];
const cleanups: Array<() => Promise<unknown> | unknown> = [];

function pass(name: string): void {
  outcomes.push({ name });
  console.log(`  ✓ ${name}`);
}

function fail(name: string, error: unknown): void {
  const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
  outcomes.push({ name, error: message });
  console.log(`  ✗ ${name}\n      ${message}`);
}

/** A fresh, empty profile per device and run, removed afterwards. */
async function device(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), "nak-chromium-"));
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1000, height: 640 },
  });
  cleanups.push(() => context.close());
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  return context;
}

async function shot(name: string, page: Page): Promise<void> {
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (argv.has("--update-docs")) copyFileSync(file, join(APP_DIR, "docs", `${name}.png`));
}

/** The production server refuses to start without DATABASE_URL, with the kit's CONFIGURATION error. */
async function missingDatabaseUrl(env: Record<string, string>): Promise<void> {
  const app = startApp(await freePort(), { ...env, DATABASE_URL: undefined } as never, SERVER_LOG);
  const timer = setTimeout(() => void app.stop(), 60_000);
  const code = await app.exited;
  clearTimeout(timer);
  await app.stop();
  const log = readFileSync(SERVER_LOG, "utf8");
  if (code === 0 || code === null) throw new Error(`the server did not stop by itself (exit ${code})`);
  if (!/cannot start: CONFIGURATION: [^\n]*DATABASE_URL/.test(log)) throw new Error("the server log has no CONFIGURATION message naming DATABASE_URL");
  if (/\n\s+at .+\(.+:\d+:\d+\)/.test(log)) throw new Error("the server printed a stack trace");
}

/**
 * A production build keeps the development sign-in tools off: without AUTH_DEV_TOOLS, and with it
 * on a NEXTAUTH_URL that is not loopback (a deployment setting the flag by mistake).
 */
async function devToolsOffInProduction(env: Record<string, string>, databaseUrl: string): Promise<void> {
  const cases = [
    { label: "without AUTH_DEV_TOOLS", env: { AUTH_DEV_TOOLS: undefined } },
    { label: "AUTH_DEV_TOOLS=1 with a non-loopback NEXTAUTH_URL", env: { NEXTAUTH_URL: "https://auth.example.com" } },
  ];
  for (const c of cases) {
    const app = startApp(await freePort(), { ...env, DATABASE_URL: databaseUrl, ...c.env }, SERVER_LOG);
    try {
      await untilServing(app);
      const mailbox = await fetch(`${app.url}/dev/mailbox`);
      if (mailbox.status !== 404) throw new Error(`${c.label}: /dev/mailbox answered ${mailbox.status}, not 404`);
      const providers = (await (await fetch(`${app.url}/api/auth/providers`)).json()) as Record<string, unknown>;
      if (Object.keys(providers).length > 0) throw new Error(`${c.label}: sign-in providers offered: ${Object.keys(providers).join(", ")}`);
    } finally {
      await app.stop();
    }
  }
}

async function main(): Promise<void> {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);

  console.log("browser test: building the example");
  if (!argv.has("--skip-build")) buildApp(join(ARTIFACTS, "build.log"));

  const db: TestDatabase = await createTestDatabase();
  cleanups.push(() => db.drop());
  const redis = await RedisServer.start();
  cleanups.push(() => redis.stop());
  const port = await freePort();
  const env = {
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    AUTH_TOKEN_PEPPER: randomBytes(32).toString("base64url"),
    AUTH_SESSION_CACHE_SECRET: randomBytes(32).toString("base64"),
    AUTH_ACCOUNT_KEYS: `browser-test:${randomBytes(32).toString("base64")}`,
    AUTH_DEV_TOOLS: "1",
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
  };

  console.log("browser test: steps");
  const startName = "a production start without DATABASE_URL stops with the kit's CONFIGURATION message";
  try {
    await missingDatabaseUrl(env);
    pass(startName);
  } catch (error) {
    fail(startName, error);
  }

  const offName = "a production build keeps /dev/mailbox and the test provider off (also with the flag on a public URL)";
  try {
    await devToolsOffInProduction(env, db.url);
    pass(offName);
  } catch (error) {
    fail(offName, error);
  }

  const app: RunningApp = startApp(port, { ...env, DATABASE_URL: db.url }, SERVER_LOG);
  cleanups.push(() => app.stop());
  await untilServing(app);

  const deviceA = await device();
  const deviceB = await device();
  const scenario: Step[] = steps({ url: app.url, databaseUrl: db.url, redis, shot, deviceA, deviceB });
  for (const [index, step] of scenario.entries()) {
    try {
      await step.run();
      pass(step.name);
    } catch (error) {
      fail(step.name, error);
      const page = lastPage.page;
      if (page && !page.isClosed()) {
        const file = join(ARTIFACTS, `failure-${index + 1}.png`);
        await page.screenshot({ path: file, fullPage: true }).then(
          () => console.log(`      screenshot of the failing page (${page.url()}): ${file}`),
          () => undefined,
        );
      }
      // Later steps build on this one: they count as failed, not run.
      for (const rest of scenario.slice(index + 1)) fail(rest.name, new Error("not run: an earlier step failed"));
      break;
    }
  }
}

async function cleanup(): Promise<void> {
  for (const undo of cleanups.reverse()) await Promise.resolve().then(undo).catch(() => undefined);
}

let finished = false;
// Every step has its own timeouts; this only bounds a run that hangs anyway (CI must not wait for it).
const watchdog = setTimeout(() => {
  if (finished) return;
  fail("browser test run", new Error("did not finish within 20 minutes"));
  void cleanup().finally(() => {
    console.log(`browser: ${outcomes.filter((o) => !o.error).length} passed, ${outcomes.filter((o) => o.error).length} failed`);
    process.exit(1);
  });
}, 20 * 60_000);
watchdog.unref();

main()
  .catch((error) => fail("browser test setup", error))
  .finally(async () => {
    finished = true;
    await cleanup();
    const failed = outcomes.filter((o) => o.error).length;
    if (failed > 0) {
      console.log(`server log: ${SERVER_LOG}`);
      console.log(tail(SERVER_LOG, 25));
    } else {
      console.log(`screenshots: ${join(ARTIFACTS, "protected-page.png")}, ${join(ARTIFACTS, "sessions-page.png")}`);
    }
    console.log(`browser: ${outcomes.length - failed} passed, ${failed} failed`);
    process.exit(failed > 0 ? 1 : 0);
  });
