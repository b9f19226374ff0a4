import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { expectSuccess, runExample } from "./runExample";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test("the audit plugin records Ada's sign-in in its own table; the blocked-domain plugin refuses Mallory with an AdapterError", async () => {
  const run = await runExample("custom-plugin", { DATABASE_URL: db.url });
  expectSuccess(run);
  const ada = /user ([0-9a-f-]{36})/.exec(run.line("1. "))?.[1];
  expect(ada).toBeDefined();
  expect(run.line("2. ")).toBe(`2. sign_in_audit rows for her: [{"user_id":"${ada}","facade":"authjs"}]`);
  expect(run.line("3. ")).toBe(
    '3. mallory@blocked.example refused: AdapterError code=FORBIDDEN operation=createVerificationToken message="createVerificationToken: sign-ins from blocked.example are not allowed"',
  );
  expect(run.line("4. ")).toBe("4. mallory in the database: no");

  // What PostgreSQL holds afterwards: the audit row (it outlives the user), nothing of Mallory's
  // (no link was stored for her, no user created), and Ada removed by the example's clean-up.
  expect(await query(db.url, "select user_id, facade from sign_in_audit")).toEqual([{ user_id: ada, facade: "authjs" }]);
  expect(await query(db.url, "select identifier from verification_tokens")).toEqual([]);
  expect(await query(db.url, "select email from users")).toEqual([]);
}, 90_000);
