import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { MikroORM } from "@mikro-orm/core";
import { Adapters, createAdapterKit, entityList, type AdapterKit } from "../../src";
import { createTestMariaDb, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";
import { uniqueEmail } from "../support/storeSets";

let db: TestMariaDb;
beforeAll(async () => {
  db = await createTestMariaDb();
});
afterAll(() => db.drop());

/** A v3 and an Auth.js round trip: a user, a session read back through both facades. */
async function roundTrip(kit: AdapterKit) {
  const v3 = await kit.legacy.getAdapter({ secret: "s" });
  const user = await v3.createUser({ email: uniqueEmail("forms"), name: "U" });
  const session = await v3.createSession(user);
  expect(await v3.getSession(session.sessionToken)).toEqual(session);
  expect(await kit.authjs.getSessionAndUser(session.sessionToken)).toMatchObject({ user: { id: user.id } });
}

describe.each(MYSQL_DRIVERS)("the `database` option for MySQL/MariaDB, $name driver", ({ name, driver, url }) => {
  const connection = () => {
    const parsed = new URL(url(db));
    return { host: parsed.hostname, port: Number(parsed.port), username: decodeURIComponent(parsed.username), password: "", database: db.name };
  };

  test(`a ${name}:// URL, the TypeORM-style object and Adapters.Default`, async () => {
    for (const database of [url(db), { type: name, ...connection(), synchronize: true } as const]) {
      const kit = createAdapterKit({ database, synchronize: true });
      try {
        await roundTrip(kit);
      } finally {
        await kit.close();
      }
    }
    const adapter = Adapters.Default({ type: name, ...connection() });
    try {
      await roundTrip(adapter.kit);
    } finally {
      await adapter.kit.close();
    }
  });

  test("MikroORM options with its driver class", async () => {
    const kit = createAdapterKit({ database: { driver, clientUrl: url(db), forceUtcTimezone: true }, synchronize: true });
    try {
      await roundTrip(kit);
    } finally {
      await kit.close();
    }
  });

  test("an app-owned MikroORM: used as is, left open by kit.close()", async () => {
    const orm = await MikroORM.init({ driver, clientUrl: url(db), entities: entityList(), forceUtcTimezone: true });
    await orm.getSchemaGenerator().updateSchema({ safe: true });
    const kit = createAdapterKit({ database: orm });
    try {
      await roundTrip(kit);
    } finally {
      await kit.close();
    }
    expect(await orm.isConnected()).toBe(true);
    await orm.close(true);
  });
});

test("a missing driver package is a CONFIGURATION error naming it", () => {
  // A real process in which the two packages cannot be resolved, as in an app that never installed them.
  const program = `
    const Module = require("node:module");
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      if (request === "@mikro-orm/mysql" || request === "@mikro-orm/mariadb") {
        throw Object.assign(new Error("Cannot find module '" + request + "'"), { code: "MODULE_NOT_FOUND" });
      }
      return resolve.call(this, request, ...rest);
    };
    const { createAdapterKit } = require(${JSON.stringify(join(__dirname, "../../src"))});
    for (const database of ["mysql://root@127.0.0.1/x", "mariadb://root@127.0.0.1/x", { type: "mariadb", database: "x" }]) {
      try { createAdapterKit({ database }); console.log("no error"); } catch (e) { console.log(e.code + ": " + e.message); }
    }`;
  const out = execFileSync(process.execPath, ["-r", "@swc-node/register", "-e", program], { cwd: join(__dirname, "../.."), encoding: "utf8" });
  expect(out.trim().split("\n")).toEqual([
    expect.stringMatching(/^CONFIGURATION: the MySQL driver is not installed: run `npm install -E @mikro-orm\/mysql@6\.6\.16`/),
    expect.stringMatching(/^CONFIGURATION: the MariaDB driver is not installed: run `npm install -E @mikro-orm\/mariadb@6\.6\.16`/),
    expect.stringMatching(/^CONFIGURATION: the MariaDB driver is not installed/),
  ]);
});
