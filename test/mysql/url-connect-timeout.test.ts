import { createAdapterKit, TYPES, type AdapterKit } from "../../src";
import type { OrmConnection } from "../../src/persistence/mikro-orm/OrmConnection";
import { createTestMariaDb, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";
import { refusal } from "../support/firstCall";
import { startSilentServer } from "../support/silentServer";

/**
 * A `mysql://` or `mariadb://` URL's connect timeout reaches the driver: `connectTimeout` in
 * milliseconds (mysql2's and MariaDB's connector's spelling) or `connect_timeout` in seconds
 * (Prisma's). It used to be refused, so a team could not shorten the kit's 5 s from its URL.
 */
let db: TestMariaDb;
beforeAll(async () => {
  db = await createTestMariaDb();
});
afterAll(() => db?.drop());

const PASSWORD = "Url-Connect-Pa55";

/** The connect timeout the kit handed the driver. */
async function driverConnectTimeout(kit: AdapterKit): Promise<unknown> {
  const orm = await kit.container.get<OrmConnection>(TYPES.OrmConnection).get();
  return (orm.config.get("driverOptions") as { connection?: { connectTimeout?: unknown } }).connection?.connectTimeout;
}

describe.each(MYSQL_DRIVERS)("$name:// URL", ({ name, url }) => {
  const onPort = (port: number, params: string) => `${name}://root:${PASSWORD}@127.0.0.1:${port}/kit?${params}`;

  test.each(["connect_timeout=1", "connectTimeout=1000"])("%s gives up on a server that never answers after a second, and the attempt is retried", async (params) => {
    const silent = await startSilentServer();
    const kit = createAdapterKit({ database: onPort(silent.port, params) });
    try {
      const error = await kit.authjs.getUser("u-silent").catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "DATABASE_UNAVAILABLE", cause: { phase: "connect" } });
      // The driver was given the URL's bound (the kit's is 5 s), and gave up within the call's 5 s pool wait.
      expect(await driverConnectTimeout(kit)).toBe(1_000);
      expect(silent.accepted).toBeGreaterThanOrEqual(2);
    } finally {
      await kit.close().catch(() => undefined);
      await silent.close();
    }
  }, 30_000);

  test("a server that answers connects with either spelling, or none (the kit's 5 s)", async () => {
    for (const [params, bound] of [["connect_timeout=7", 7_000], ["connectTimeout=2500", 2_500], ["connectTimeout=0", 0], ["", 5_000]] as const) {
      const kit = createAdapterKit({ database: `${url(db)}?${params}`, synchronize: true });
      try {
        expect([params, await kit.authjs.getUser("u1"), await driverConnectTimeout(kit)]).toEqual([params, null, bound]);
      } finally {
        await kit.close();
      }
    }
  });

  test("a value that is not a whole number, or both spellings: CONFIGURATION, nothing of the URL shown", () => {
    const cases: Array<[string, string]> = [
      [`connectTimeout=${PASSWORD}`, "connectTimeout must be a whole number (milliseconds)"],
      ["connect_timeout=1.5", "connect_timeout must be a whole number (seconds)"],
      ["connect_timeout=1&connectTimeout=1000", "keep one"],
    ];
    for (const [params, says] of cases) {
      const error = refusal(onPort(3306, params));
      expect([params, error.code, error.message]).toEqual([params, "CONFIGURATION", expect.stringContaining(says)]);
      expect(error.message).not.toContain(PASSWORD);
    }
  });
});
