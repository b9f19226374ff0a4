/** The CLI on MariaDB, through both drivers the kit supports there (mysql2 and the MariaDB connector). */
import { createAdapterKit } from "../../src";
import { createTestMariaDb, withMariaDb, type TestMariaDb } from "../support/mariadb";
import { runCli } from "./runCli";

describe.each([
  ["mariadb://", (db: TestMariaDb) => db.mariadbUrl],
  ["mysql://", (db: TestMariaDb) => db.mysqlUrl],
])("CLI on MariaDB (%s)", (_label, urlOf) => {
  let db: TestMariaDb;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestMariaDb();
    env = { DATABASE_URL: urlOf(db) };
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("migrate, stats, purge-expired and doctor with its findings", async () => {
    expect((await runCli(["migrate", "status"], env)).code).toBe(1);
    expect(await runCli(["migrate", "up"], env)).toMatchObject({ code: 0, stdout: "applied 2: Migration20261126000000, Migration20261202000000\n" });
    expect(JSON.parse((await runCli(["doctor", "--json"], env)).stdout)).toMatchObject({ ok: true, findings: [] });

    const kit = createAdapterKit({ database: env.DATABASE_URL });
    try {
      const user = await kit.authjs.createUser({ email: "maria@example.com", emailVerified: null });
      await kit.authjs.createSession({ sessionToken: "live", userId: user.id, expires: new Date(Date.now() + 3600_000) });
      await kit.authjs.createSession({ sessionToken: "old", userId: user.id, expires: new Date(Date.now() - 3600_000) });
      await kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "gitlab", providerAccountId: "7" });
    } finally {
      await kit.close();
    }
    expect(JSON.parse((await runCli(["stats", "--json"], env)).stdout)).toEqual({
      ok: true,
      users: 1,
      sessions: { live: 1, expired: 1 },
      verificationTokens: { pending: 0, expired: 0 },
      accounts: { total: 1, byProvider: { gitlab: 1 } },
    });
    expect((await runCli(["purge-expired"], env)).stdout).toBe("deleted 1 expired sessions and 0 expired verification tokens\n");

    await withMariaDb(urlOf(db).replace(/^mariadb:/, "mysql:"), async (c) => {
      await c.query("alter table sessions drop index sessions_expires_index");
      await c.query("alter table users add column tenant int not null");
    });
    const doctor = await runCli(["doctor"], env);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain("x index on sessions(expires) is missing");
    expect(doctor.stdout).toContain("x column users.tenant is NOT NULL without a default and not in the entities");
    expect(doctor.stdout).toContain("alter table `sessions` add index `sessions_expires_index`(`expires`);");
  });
});
