import type { DatabaseOption } from "../../src";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createTestMariaDb, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";
import { firstCall as firstCallWith, refusal } from "../support/firstCall";

/**
 * The TypeORM-style object's `ssl` reaches the driver (it was dropped: plaintext where TLS was
 * asked for), and keys the kit does not read are refused instead of dropped. The test servers run
 * without TLS, so a kit that asks for it must fail to connect.
 */
let pg: TestDatabase;
let maria: TestMariaDb;
beforeAll(async () => {
  [pg, maria] = await Promise.all([createTestDatabase(), createTestMariaDb()]);
});
afterAll(async () => {
  await Promise.all([pg?.drop(), maria?.drop()]);
});

const PASSWORD = "Tls-Pa55-not-shown";
const firstCall = (database: DatabaseOption) => firstCallWith(database, PASSWORD);

function fields(url: string, database: string) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port), username: decodeURIComponent(parsed.username), database };
}

test("PostgreSQL: ssl true or TLS options need TLS; ssl false connects", async () => {
  // The shared server trusts any password, so the one given only has to stay out of errors.
  const base = { type: "postgres" as const, ...fields(pg.url, pg.name), password: PASSWORD };
  expect(await firstCall({ ...base, ssl: true })).toBe("DATABASE_UNAVAILABLE");
  expect(await firstCall({ ...base, ssl: { rejectUnauthorized: false } })).toBe("DATABASE_UNAVAILABLE");
  expect(await firstCall({ ...base, ssl: false })).toBe("connected");
  expect(await firstCall(base)).toBe("connected");
});

test("the URL form { url, replicas? } takes ssl the same way; a URL's own TLS settings win", async () => {
  const url = pg.url.replace("postgres@", `postgres:${PASSWORD}@`);
  expect(await firstCall({ url, ssl: true })).toBe("DATABASE_UNAVAILABLE");
  expect(await firstCall({ url, ssl: false })).toBe("connected");
  expect(await firstCall({ url: `${url}?sslmode=disable`, ssl: true })).toBe("connected");
});

describe.each(MYSQL_DRIVERS)("$name driver", ({ name, url }) => {
  test("ssl true or TLS options need TLS; ssl false connects", async () => {
    const base = { type: name, ...fields(url(maria), maria.name), password: "" };
    expect(await firstCall({ ...base, ssl: true })).toBe("DATABASE_UNAVAILABLE");
    expect(await firstCall({ ...base, ssl: { rejectUnauthorized: false } })).toBe("DATABASE_UNAVAILABLE");
    expect(await firstCall({ ...base, ssl: false })).toBe("connected");
  });
});

test("keys the object does not read are CONFIGURATION, named, with nothing of their values", () => {
  const base = { type: "postgres" as const, host: "127.0.0.1", database: "db", password: PASSWORD };
  const extra = refusal({ ...base, extra: { ssl: { key: PASSWORD } } } as DatabaseOption);
  expect(extra).toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining('"extra"') });
  expect(extra.message).toContain("MikroORM options");
  expect(extra.message).not.toContain(PASSWORD);
  const urlForm = refusal({ url: pg.url, entityPrefix: "nextauth_" } as DatabaseOption);
  expect(urlForm).toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining('"entityPrefix" not read by the URL form') });
  const odd = refusal({ ...base, [`${PASSWORD} key`]: 1 } as DatabaseOption);
  expect(odd).toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining("(not shown)") });
  expect(odd.message).not.toContain(PASSWORD);
});

test("ssl that is not true, false or options, or ssl on SQLite, is CONFIGURATION", () => {
  expect(refusal({ type: "postgres", host: "127.0.0.1", ssl: "require" } as unknown as DatabaseOption)).toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining("database.ssl") });
  expect(refusal({ type: "sqlite", ssl: true })).toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining("SQLite") });
});
