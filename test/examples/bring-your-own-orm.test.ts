import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { expectSuccess, runExample } from "./runExample";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test("the kit runs on the app's MikroORM: role round-trips through a sign-in, and the app's ORM outlives kit.close()", async () => {
  const run = await runExample("bring-your-own-orm", { DATABASE_URL: db.url });
  expectSuccess(run);
  expect(run.line("1. ")).toBe("1. One MikroORM, entities: AuthAccount, AuthAuthenticator, AuthSession, AuthUser, AuthVerificationToken, Project");
  expect(run.line("2. ")).toBe('2. Signed in; getSessionAndUser returns the user with role "admin"');
  expect(run.line("3. ")).toBe('3. The app\'s Project entity: ["Apollo guidance"] owned by margaret@example.com (role admin)');
  expect(run.line("4. ")).toBe("4. After kit.close(), the app's ORM is connected: true; projects left: 0");

  // One database holds both: the app's projects table with its foreign key to the kit's users
  // table, which carries the extra role column.
  const roleColumn = await query(db.url, "select data_type from information_schema.columns where table_name = 'users' and column_name = 'role'");
  expect(roleColumn).toEqual([{ data_type: "character varying" }]);
  const fk = await query(db.url, "select confrelid::regclass::text as target from pg_constraint where conrelid = 'projects'::regclass and contype = 'f'");
  expect(fk).toEqual([{ target: "users" }]);
  expect(await query(db.url, "select count(*)::int as n from users")).toEqual([{ n: 0 }]);
}, 90_000);
