import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestMariaDb, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";
import { firstCall as firstCallWith, refusal } from "../support/firstCall";

/**
 * A `mysql://` or `mariadb://` URL's TLS parameters reach the driver (MikroORM dropped the query:
 * `?ssl-mode=REQUIRED` connected in plaintext), and a parameter the kit does not read is refused.
 * The test server runs without TLS, so a kit that asks for it must fail to connect.
 */
let db: TestMariaDb;
let dir: string;
beforeAll(async () => {
  db = await createTestMariaDb();
  dir = mkdtempSync(join(tmpdir(), "kit-mysql-tls-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

const PASSWORD = "Url-Tls-Pa55";
const firstCall = (url: string) => firstCallWith(url, PASSWORD);

describe.each(MYSQL_DRIVERS)("$name:// URL", ({ url }) => {
  const withParams = (params: string) => `${url(db).replace("root@", `root:${PASSWORD}@`)}?${params}`;
  // The shared server's root has no password: a URL that reaches it must not carry one.
  const reachable = (params: string) => `${url(db)}?${params}`;

  test("ssl-mode other than DISABLED, ssl=true, ssl as JSON options or a CA file need TLS", async () => {
    const ca = join(dir, "ca.pem");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    for (const params of ["ssl-mode=REQUIRED", "sslmode=preferred", "ssl=true", `ssl=${encodeURIComponent('{"rejectUnauthorized":false}')}`, `sslrootcert=${encodeURIComponent(ca)}`]) {
      expect([params, await firstCall(withParams(params))]).toEqual([params, "DATABASE_UNAVAILABLE"]);
    }
  });

  test("ssl-mode=DISABLED and ssl=false connect in plaintext, as a URL without parameters does", async () => {
    for (const params of ["ssl-mode=DISABLED", "ssl=false", ""]) {
      expect([params, await firstCall(reachable(params))]).toEqual([params, "connected"]);
    }
  });

  test("the URL's TLS settings win over the TypeORM-style object's ssl", async () => {
    const name = url(db).startsWith("mariadb") ? "mariadb" : "mysql";
    expect(await firstCall({ type: name, url: reachable("ssl-mode=DISABLED"), ssl: true } as never)).toBe("connected");
    expect(await firstCall({ type: name, url: reachable(""), ssl: true } as never)).toBe("DATABASE_UNAVAILABLE");
  });

  test("an unread parameter, a bad value, contradicting settings or an unreadable CA file: CONFIGURATION, nothing of the URL shown", () => {
    const secretPath = join(dir, "secret-dir", "ca.pem");
    const cases: Array<[string, string]> = [
      ["sslaccept=strict", '"sslaccept"'],
      [`${PASSWORD}=1`, "not shown"],
      ["ssl=maybe", "ssl must be"],
      ["ssl-mode=SOMETIMES", "ssl-mode must be"],
      ["ssl=false&ssl-mode=VERIFY_IDENTITY", "contradict"],
      [`sslrootcert=${encodeURIComponent(secretPath)}`, "CA file"],
    ];
    for (const [params, says] of cases) {
      const error = refusal(withParams(params));
      expect([params, error.code, error.message]).toEqual([params, "CONFIGURATION", expect.stringContaining(says)]);
      expect(error.message).not.toContain(PASSWORD);
      expect(error.message).not.toContain(secretPath);
      expect(error.message).not.toContain(db.name);
    }
  });
});
