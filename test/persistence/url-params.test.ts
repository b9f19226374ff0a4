import { createAdapterKit } from "../../src";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { refusal } from "../support/firstCall";

/**
 * A `postgres://` URL's session settings reach `pg` (MikroORM dropped everything but `schema`:
 * `options=-c search_path=auth` left the kit's tables in `public`), and a parameter the kit does
 * not read is refused instead of dropped.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await query(db.url, "create schema auth_kit");
});
afterAll(() => db.drop());

const PASSWORD = "Url-Params-Pa55";

test("application_name names the kit's connections; options sets their search_path, where the tables go", async () => {
  const url = `${db.url}?application_name=kit-url-params&options=${encodeURIComponent("-c search_path=auth_kit")}`;
  const kit = createAdapterKit({ database: url, synchronize: true });
  try {
    const user = await kit.authjs.createUser({ id: "u-params", email: "params@example.com", emailVerified: null });
    expect(await kit.authjs.getUser(user.id)).toMatchObject({ email: "params@example.com" });
    const connections = await query(db.url, "select application_name from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [db.name]);
    expect(connections.map((c) => c.application_name)).toContain("kit-url-params");
    const tables = await query(db.url, "select table_schema from information_schema.tables where table_name = 'users'");
    expect(tables.map((t) => t.table_schema)).toEqual(["auth_kit"]);
    expect(await query(db.url, "select email from auth_kit.users")).toEqual([{ email: "params@example.com" }]);
  } finally {
    await kit.close();
  }
});

test("a schema from ?schema=, the TypeORM-style object or the URL form holds the kit's tables, and the kit finds them there", async () => {
  const forms: Array<[string, unknown]> = [
    ["auth_url", `${db.url}?schema=auth_url`],
    ["auth_typeorm", { type: "postgres", url: db.url, schema: "auth_typeorm" }],
    ["auth_form", { url: db.url, schema: "auth_form" }],
  ];
  for (const [schema, database] of forms) {
    await query(db.url, `create schema ${schema}`);
    const kit = createAdapterKit({ database: database as never, synchronize: true });
    try {
      const user = await kit.authjs.createUser({ id: `u-${schema}`, email: `${schema}@example.com`, emailVerified: null });
      expect(await kit.authjs.getUserByEmail(`${schema}@example.com`)).toEqual(user);
      expect(await query(db.url, `select email from ${schema}.users`)).toEqual([{ email: `${schema}@example.com` }]);
    } finally {
      await kit.close();
    }
  }
});

test("kit.migrate() with ?schema= creates the tables in that schema, and rolls back there", async () => {
  await query(db.url, "create schema auth_migrated");
  const kit = createAdapterKit({ database: `${db.url}?schema=auth_migrated` });
  try {
    await kit.migrate();
    const user = await kit.authjs.createUser({ id: "u-migrated", email: "migrated@example.com", emailVerified: null });
    expect(await kit.authjs.getUser(user.id)).toEqual(user);
    const tables = (schema: string) => query(db.url, "select table_name from information_schema.tables where table_schema = $1 order by 1", [schema]);
    expect((await tables("auth_migrated")).map((t) => t.table_name)).toEqual(expect.arrayContaining(["accounts", "authenticators", "sessions", "users", "verification_tokens"]));
    expect(await tables("public")).toEqual([]);
    expect(await query(db.url, "select data_type from information_schema.columns where table_schema = 'auth_migrated' and table_name = 'authenticators' and column_name = 'counter'")).toEqual([{ data_type: "bigint" }]);
    await kit.migrate({ down: true, confirmDrop: true });
    expect(await query(db.url, "select data_type from information_schema.columns where table_schema = 'auth_migrated' and table_name = 'authenticators' and column_name = 'counter'")).toEqual([{ data_type: "integer" }]);
    await kit.migrate({ down: true, confirmDrop: true });
    expect(await query(db.url, "select table_name from information_schema.tables where table_schema = 'auth_migrated' and table_name = 'users'")).toEqual([]);
  } finally {
    await kit.close();
  }
});

test("a parameter the kit does not read, on the URL or a replica's: CONFIGURATION, named only when other tools know it", () => {
  const withParams = (params: string) => `${db.url.replace("postgres@", `postgres:${PASSWORD}@`)}?${params}`;
  const cases: Array<[unknown, string]> = [
    [withParams("connection_limit=5"), 'database: URL parameter "connection_limit"'],
    [withParams(`${PASSWORD}=1`), "(a parameter not shown)"],
    // NextAuth v3's URLs carried TypeORM options; dropped, entityPrefix would mean other tables.
    [withParams("entityPrefix=nextauth_&synchronize=true"), '"entityPrefix", "synchronize"'],
    [{ url: db.url, replicas: [withParams("pgbouncer=true")] }, 'database.replicas[0]: URL parameter "pgbouncer"'],
    // A schema reaches SQL text: a plain identifier only, from the URL or an object.
    [withParams(`schema=${encodeURIComponent('auth"; drop table users; --')}`), "database: the schema is not a plain identifier"],
    [{ url: withParams(""), schema: "auth-kit" }, "database: the schema is not a plain identifier"],
  ];
  for (const [database, says] of cases) {
    const error = refusal(database as never);
    expect([error.code, error.message]).toEqual(["CONFIGURATION", expect.stringContaining(says)]);
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).not.toContain(db.name);
  }
});

test("schema (MikroORM's) and the TLS parameters are still read", async () => {
  for (const params of ["schema=auth_kit", "sslmode=disable", "application_name=x&sslmode=disable"]) {
    const kit = createAdapterKit({ database: `${db.url}?${params}` });
    await kit.close();
  }
});
