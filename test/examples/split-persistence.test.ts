import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { expectSuccess, runExample } from "./runExample";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test("Ada's session lives in Redis and her user row in PostgreSQL; deleteUser clears both", async () => {
  const run = await runExample("split-persistence", { DATABASE_URL: db.url });
  expectSuccess(run);
  expect(run.line("2. ")).toMatch(/^2\. Redis holds 2 keys for this run: the session \(expires with it, TTL 720 h\)/);
  expect(run.line("3. ")).toBe("3. PostgreSQL holds 1 user row for her, and 0 session rows for her");
  expect(run.line("4. ")).toMatch(/^4\. getSessionAndUser: user ada@example\.com, session expires \d{4}-/);
  expect(run.line("5. ")).toBe("5. After deleteUser: 0 Redis keys, 0 user rows");
  // The kit's tables exist in PostgreSQL (the example synchronised them), and no session ever reached them.
  expect(await query(db.url, "select count(*)::int as n from sessions")).toEqual([{ n: 0 }]);
}, 90_000);
