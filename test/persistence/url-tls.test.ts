import { inspect } from "node:util";
import { createAdapterKit } from "../../src";
import { createTestDatabase, type TestDatabase } from "../support/database";

/**
 * A `postgres://` URL's TLS settings reach the driver. MikroORM keeps only host, port, user,
 * password, database and schema of a client URL, so `?sslmode=verify-full` connected in
 * plaintext. The test server runs without TLS: a kit that asks for it must fail to connect.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const withParams = (params: string) => `${db.url.replace("postgres@", "postgres:Tls-Pa55@")}?${params}`;

test("sslmode=verify-full against a server without TLS: DATABASE_UNAVAILABLE, nothing of the URL in the error", async () => {
  const kit = createAdapterKit({ database: withParams("sslmode=verify-full"), synchronize: true });
  try {
    const error = await kit.authjs.getUser("u1").then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: "DATABASE_UNAVAILABLE" });
    expect(inspect(error, { depth: 10 })).not.toContain("Tls-Pa55");
  } finally {
    await kit.close();
  }
});

test("sslmode=disable, and a URL without TLS settings, connect as before", async () => {
  for (const url of [withParams("sslmode=disable"), db.url]) {
    const kit = createAdapterKit({ database: url, synchronize: true });
    try {
      expect(await kit.authjs.getUser("u1")).toBeNull();
    } finally {
      await kit.close();
    }
  }
});

test("a replica URL's own TLS settings apply to that replica, not the primary's", async () => {
  const health = async (replica: string) => {
    const kit = createAdapterKit({ database: { url: db.url, replicas: [replica] }, synchronize: true });
    try {
      expect(await kit.authjs.getUser("u1")).toBeNull();
      return (await kit.health()).replicas.replicas.map((r) => r.state);
    } finally {
      await kit.close();
    }
  };
  expect(await health(withParams("sslmode=verify-full"))).toEqual(["down"]);
  expect(await health(withParams("sslmode=disable"))).toEqual(["up"]);
});

test("a certificate file the URL names that cannot be read: CONFIGURATION, neither URL nor path shown", () => {
  const path = "/nonexistent/secret-dir/root.crt";
  for (const database of [withParams(`sslrootcert=${path}`), { url: db.url, replicas: [withParams(`sslrootcert=${path}`)] }]) {
    let error: unknown;
    try {
      createAdapterKit({ database, synchronize: true });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining("TLS settings could not be read") });
    const shown = inspect(error, { depth: 10 });
    expect(shown).not.toContain("secret-dir");
    expect(shown).not.toContain("Tls-Pa55");
  }
});
