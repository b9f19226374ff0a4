/**
 * What the CLI says when it cannot run: one line, exit code 2, never a stack trace, never any
 * part of a connection URL's credentials. And Redis as doctor sees it, up and stopped.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { RedisServer } from "../support/redisServer";
import { closedPort, startSilentServer } from "../support/silentServer";
import { expectOneLine, runCli } from "./runCli";

const PASSWORD = "Pa55-word-cli";

describe("CLI failures", () => {
  it("bad flags, a missing value, an unknown command or action: one line and exit 2", async () => {
    const cases: Array<[string[], string]> = [
      [["stats", "--bogus"], "nextauth-adapter-kit stats: unknown option --bogus"],
      [["stats", "--database"], "nextauth-adapter-kit stats: option --database needs a value"],
      [["purge-expired", "--batch-size", "-3"], "nextauth-adapter-kit purge-expired: option --batch-size needs a value"],
      [["purge-expired", "--batch-size", "ten"], "nextauth-adapter-kit purge-expired: --batch-size must be a positive whole number"],
      [["frobnicate"], 'nextauth-adapter-kit: unknown command "frobnicate"'],
      [["migrate", "sideways"], 'nextauth-adapter-kit migrate: unknown action "sideways": use up, down or status'],
      [["stats"], "nextauth-adapter-kit stats: no database: set DATABASE_URL, pass --database <url>, or --config <file>"],
    ];
    for (const [args, expected] of cases) {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(expectOneLine(result)).toContain(expected);
      expect(result.stdout).toBe("");
    }
  });

  it("a URL typed without --database: one line, exit 2, the scheme named and nothing of the URL shown", async () => {
    const url = `postgres://kit_user:${PASSWORD}@db.internal:5432/auth`;
    for (const args of [["stats", url], ["migrate", url], ["purge-expired", url, "--json"], [url], ["migrate", "up", `kit_user:${PASSWORD}@db.internal`]]) {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      const text = result.stdout + result.stderr;
      for (const part of [PASSWORD, "kit_user", "db.internal"]) expect(text).not.toContain(part);
      if (args[1] !== "up") expect(text).toContain("postgres:// URL, not shown");
    }
  });

  it("--help prints usage and exits 0", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["migrate", "purge-expired", "doctor", "stats"]) expect(help.stdout).toContain(`  ${command}`);
    expect(help.stdout).toContain("Exit codes: 0 fine, 1 problems found, 2 cannot run.");
    const migrateHelp = await runCli(["migrate", "--help"]);
    expect(migrateHelp).toMatchObject({ code: 0, stdout: expect.stringContaining("--yes, --confirm") });
  });

  it("a database on a closed port: one line, exit 2, and nothing of the URL's credentials", async () => {
    const url = `postgresql://kit_user:${PASSWORD}@127.0.0.1:${await closedPort()}/kitdb`;
    for (const command of [["stats"], ["doctor"], ["migrate", "status"], ["purge-expired"]]) {
      const result = await runCli([...command, "--database", url]);
      expect(result.code).toBe(2);
      expect(expectOneLine(result)).toContain("cannot reach the database");
      expect(result.stderr + result.stdout).not.toContain(PASSWORD);
    }
    const json = await runCli(["stats", "--json"], { DATABASE_URL: url });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, error: expect.stringContaining("cannot reach the database") });
    expect(json.stdout + json.stderr).not.toContain(PASSWORD);
  });

  it("a database that accepts connections and never answers: exit 2 after --timeout", async () => {
    const silent = await startSilentServer();
    try {
      const url = `postgresql://kit_user:${PASSWORD}@127.0.0.1:${silent.port}/kitdb`;
      for (const command of [["stats"], ["doctor"]]) {
        const result = await runCli([...command, "--timeout", "700"], { DATABASE_URL: url });
        expect(result.code).toBe(2);
        expect(expectOneLine(result)).toContain("cannot reach the database: no answer within 700 ms");
        expect(result.stderr).not.toContain(PASSWORD);
      }
      expect(silent.accepted).toBeGreaterThan(0);
    } finally {
      await silent.close();
    }
  });

  it("an unsupported URL or a config module that is missing or throws: one line, no secret", async () => {
    const mysql = await runCli(["stats", "--database", `mysql://kit_user:${PASSWORD}@127.0.0.1:1/kitdb`]);
    expect(mysql.code).toBe(2);
    expect(expectOneLine(mysql)).not.toContain(PASSWORD);

    const dir = mkdtempSync(join(tmpdir(), "kit-cli-bad-config-"));
    try {
      const missing = await runCli(["stats", "--config", join(dir, "nope.js")]);
      expect(missing.code).toBe(2);
      expect(expectOneLine(missing)).toContain("nope.js not found");

      const throwing = join(dir, "throws.js");
      writeFileSync(throwing, `throw new Error("cannot parse postgresql://kit_user:${PASSWORD}@db/kitdb");\n`);
      const threw = await runCli(["stats", "--config", throwing]);
      expect(threw.code).toBe(2);
      expect(expectOneLine(threw)).toContain("throws.js failed to load (Error)");
      expect(threw.stderr).not.toContain(PASSWORD);

      // The kit's own CONFIGURATION error is shown: it says what is wrong and holds no key.
      const shortKey = join(dir, "short-key.js");
      const plugins = JSON.stringify(join(__dirname, "../../plugins"));
      writeFileSync(shortKey, `const { encryptAccountTokens } = require(${plugins});\nmodule.exports = { plugins: [encryptAccountTokens({ keys: [{ id: "k1", key: Buffer.from("${PASSWORD}") }] })] };\n`);
      const short = await runCli(["stats", "--config", shortKey]);
      expect(short.code).toBe(2);
      expect(expectOneLine(short)).toMatch(/short-key\.js failed to load: .*32 bytes/);
      expect(short.stderr).not.toContain(PASSWORD);

      const notOptions = join(dir, "number.js");
      writeFileSync(notOptions, "module.exports = 42;\n");
      expect(expectOneLine(await runCli(["stats", "--config", notOptions]))).toContain("must export the kit's options");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("doctor and Redis", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    expect((await runCli(["migrate", "up"], { DATABASE_URL: db.url })).code).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("checks REDIS_URL: up while its server runs, a problem with how to fix it once stopped", async () => {
    const redis = await RedisServer.start();
    try {
      const env = { DATABASE_URL: db.url, REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${redis.port}` };
      // A password the server does not ask for is still sent: use a URL without one for the healthy case.
      const up = await runCli(["doctor", "--json"], { ...env, REDIS_URL: `redis://127.0.0.1:${redis.port}` });
      expect(up.code).toBe(0);
      expect(JSON.parse(up.stdout).health.redis).toMatchObject({ state: "up", latencyMs: expect.any(Number) });

      await redis.stop();
      const down = await runCli(["doctor"], env);
      expect(down.code).toBe(1);
      expect(down.stdout).toMatch(/redis\s+down/);
      expect(down.stdout).toContain("x Redis is down");
      expect(down.stdout).toContain("fix: check that Redis runs");
      expect(down.stdout + down.stderr).not.toContain(PASSWORD);
    } finally {
      await redis.stop();
    }
  });

  it("says when no Redis and no replicas are configured", async () => {
    const doctor = await runCli(["doctor"], { DATABASE_URL: db.url });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain("redis       none configured");
    expect(doctor.stdout).toContain("replicas    none configured");
  });
});
