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
