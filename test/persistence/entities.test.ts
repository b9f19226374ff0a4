import { createAdapterKit, createEntities } from "../../src";
import { createTestDatabase, query, type TestDatabase } from "../support/database";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await query(db.url, "create schema auth");
});
afterAll(() => db.drop());

test("tables renamed and put in a schema; an extra column round-trips", async () => {
  const entities = createEntities({
    schema: "auth",
    tables: { user: "app_users", session: "app_sessions", account: "app_accounts", verificationToken: "app_tokens", authenticator: "app_passkeys" },
    properties: { user: { role: { type: "string", nullable: true } } },
  });
  const kit = createAdapterKit({ database: db.url, synchronize: true, entities });
  try {
    const user = await kit.authjs.createUser({ email: "schema@example.com", emailVerified: null, role: "editor" } as never);
    await kit.authjs.createSession({ sessionToken: "schema-token", userId: user.id, expires: new Date(Date.now() + 60_000) });
    await kit.authjs.createVerificationToken({ identifier: "schema@example.com", token: "t", expires: new Date(Date.now() + 60_000) });

    const tables = await query<{ table_name: string }>(db.url, "select table_name from information_schema.tables where table_schema = 'auth' order by 1");
    expect(tables.map((t) => t.table_name)).toEqual(["app_accounts", "app_passkeys", "app_sessions", "app_tokens", "app_users"]);
    expect(await query(db.url, "select role from auth.app_users where id = $1", [user.id])).toEqual([{ role: "editor" }]);

    const found = await kit.authjs.getSessionAndUser("schema-token");
    expect(found?.user).toMatchObject({ id: user.id, role: "editor" });
    expect(await kit.authjs.useVerificationToken({ identifier: "schema@example.com", token: "t" })).not.toBeNull();
  } finally {
    await kit.close();
  }
});

test("the default layout's unique constraints and indexes exist where the lookups need them", async () => {
  const kit = createAdapterKit({ database: db.url, synchronize: true });
  try {
    await kit.authjs.getUser("x");
    const indexes = await query<{ tablename: string; indexdef: string }>(db.url, "select tablename, indexdef from pg_indexes where schemaname = 'public'");
    const defs = indexes.map((i) => i.indexdef).join("\n");
    expect(defs).toMatch(/UNIQUE INDEX .* ON public\.users .*\(email\)/);
    expect(defs).toMatch(/UNIQUE INDEX .* ON public\.sessions .*\(session_token\)/);
    expect(defs).toMatch(/UNIQUE INDEX .* ON public\.accounts .*\(provider, provider_account_id\)/);
    expect(defs).toMatch(/INDEX .* ON public\.sessions .*\(user_id\)/);
    const cascades = await query(db.url, "select conname from pg_constraint where contype = 'f' and confdeltype = 'c'");
    expect(cascades.length).toBeGreaterThanOrEqual(3);
  } finally {
    await kit.close();
  }
});

test("a value longer than its column is refused as INVALID_INPUT, and nothing is written", async () => {
  const kit = createAdapterKit({ database: db.url, synchronize: true });
  try {
    const email = `${"x".repeat(400)}@example.com`;
    await expect(kit.authjs.createUser({ email, emailVerified: null })).rejects.toMatchObject({ code: "INVALID_INPUT", operation: "createUser" });
    expect(await query(db.url, "select id from users where length(email) > 320")).toHaveLength(0);
  } finally {
    await kit.close();
  }
});
