import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { createAdapterKit, type AdapterKit } from "../../src";
import { createTestDatabase, type TestDatabase } from "../support/database";

/** Counts the statements MikroORM sends, through its own query logger. */
let statements: string[] = [];
let db: TestDatabase;
let kit: AdapterKit;

beforeAll(async () => {
  db = await createTestDatabase();
  kit = createAdapterKit({
    database: {
      driver: PostgreSqlDriver,
      clientUrl: db.url,
      debug: ["query"],
      logger: (message: string) => statements.push(message),
    },
    synchronize: true,
  });
  await kit.authjs.getUser("warm-up");
});
afterAll(async () => {
  await kit.close();
  await db.drop();
});

const counting = async <T>(call: () => Promise<T>) => {
  statements = [];
  const result = await call();
  return { result, count: statements.length, sql: statements.join("\n") };
};

test("getSessionAndUser is one round trip (a join), found or not", async () => {
  const user = await kit.authjs.createUser({ email: "rt@example.com", emailVerified: null });
  await kit.authjs.createSession({ sessionToken: "rt-token", userId: user.id, expires: new Date(Date.now() + 60_000) });

  const found = await counting(() => kit.authjs.getSessionAndUser("rt-token"));
  expect(found.result?.user.id).toBe(user.id);
  expect(found.count).toBe(1);
  expect(found.sql).toMatch(/join/i);

  const missing = await counting(() => kit.authjs.getSessionAndUser("no-such-token"));
  expect(missing.result).toBeNull();
  expect(missing.count).toBe(1);
});

test("useVerificationToken is one atomic statement: DELETE ... RETURNING", async () => {
  await kit.authjs.createVerificationToken({ identifier: "rt@example.com", token: "vt", expires: new Date(Date.now() + 60_000) });
  const used = await counting(() => kit.authjs.useVerificationToken({ identifier: "rt@example.com", token: "vt" }));
  expect(used.result).not.toBeNull();
  expect(used.count).toBe(1);
  expect(used.sql).toMatch(/delete .* returning/i);
});

test("getUserByAccount is one round trip when users and accounts share the database", async () => {
  const user = await kit.authjs.createUser({ email: "rt2@example.com", emailVerified: null });
  await kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: "rt2" });
  const found = await counting(() => kit.authjs.getUserByAccount({ provider: "github", providerAccountId: "rt2" }));
  expect(found.result?.id).toBe(user.id);
  expect(found.count).toBe(1);
});
