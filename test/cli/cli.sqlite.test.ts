/** The CLI on a SQLite file: the same commands as on PostgreSQL, through the SQLite dialect. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdapterKit } from "../../src";
import { runCli } from "./runCli";

describe("CLI on SQLite", () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kit-cli-sqlite-"));
    env = { DATABASE_URL: `sqlite:${join(dir, "auth.db")}` };
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("migrate, doctor, stats and purge-expired", async () => {
    expect((await runCli(["migrate", "status"], env)).code).toBe(1);
    expect(await runCli(["migrate", "up"], env)).toMatchObject({ code: 0, stdout: "applied 1: Migration20261126000000\n" });
    const doctor = await runCli(["doctor", "--json"], env);
    expect(doctor.code).toBe(0);
    expect(JSON.parse(doctor.stdout)).toMatchObject({ ok: true, findings: [], health: { database: { state: "up" }, migrationsPending: { state: "current" } } });

    const kit = createAdapterKit({ database: env.DATABASE_URL });
    try {
      const user = await kit.authjs.createUser({ email: "lite@example.com", emailVerified: null });
      await kit.authjs.createSession({ sessionToken: "live", userId: user.id, expires: new Date(Date.now() + 3600_000) });
      await kit.authjs.createSession({ sessionToken: "old", userId: user.id, expires: new Date(Date.now() - 3600_000) });
      await kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: "1" });
    } finally {
      await kit.close();
    }
    const stats = await runCli(["stats", "--json"], env);
    expect(JSON.parse(stats.stdout)).toEqual({
      ok: true,
      users: 1,
      sessions: { live: 1, expired: 1 },
      verificationTokens: { pending: 0, expired: 0 },
      accounts: { total: 1, byProvider: { github: 1 } },
    });
    expect((await runCli(["purge-expired"], env)).stdout).toBe("deleted 1 expired sessions and 0 expired verification tokens\n");
    expect(JSON.parse((await runCli(["stats", "--json"], env)).stdout).sessions).toEqual({ live: 1, expired: 0 });
  });

  it("adopts tables made by synchronize, and migrate down --yes still refuses to drop them", async () => {
    const adopted = { DATABASE_URL: `sqlite:${join(dir, "adopted.db")}` };
    const kit = createAdapterKit({ database: adopted.DATABASE_URL, synchronize: true });
    await kit.synchronize();
    await kit.close();
    expect((await runCli(["migrate", "status"], adopted)).code).toBe(1);
    expect(await runCli(["migrate", "up"], adopted)).toMatchObject({ code: 0, stdout: "nothing to apply: the kit's migrations are up to date\n" });
    expect((await runCli(["migrate", "status"], adopted)).code).toBe(0);
    const down = await runCli(["migrate", "down", "--yes"], adopted);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain("never drops tables it did not create");
    expect(down.stderr.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse((await runCli(["stats", "--json"], adopted)).stdout)).toMatchObject({ ok: true, users: 0 });
  });
});
