import { createAdapterKit, TYPES, type AdapterKit } from "../../src";
import type { OrmConnection } from "../../src/persistence/mikro-orm/OrmConnection";
import { createTestDatabase, query, withClient, type TestDatabase } from "../support/database";
import { refusal } from "../support/firstCall";
import { startSilentServer } from "../support/silentServer";

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
    // A timeout is a whole number (pg's milliseconds, libpq's seconds); a duration in options must be one PostgreSQL reads.
    [withParams(`statement_timeout=${PASSWORD}`), 'database: URL parameter "statement_timeout" must be a whole number of milliseconds'],
    [withParams("connect_timeout=1.5"), 'database: URL parameter "connect_timeout" must be a whole number of seconds'],
    [{ url: db.url, replicas: [withParams(`options=${encodeURIComponent(`-c statement_timeout=${PASSWORD}`)}`)] }, "database.replicas[0]: the URL's options set statement_timeout to something that is not a duration"],
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

/** What one of the kit's connections reports for a setting: the primary's, or a replica's ("read"). */
async function shown(kit: AdapterKit, setting: string, type: "write" | "read" = "write"): Promise<string> {
  const orm = await kit.container.get<OrmConnection>(TYPES.OrmConnection).get();
  const [row] = await orm.em.getConnection(type).execute(`show ${setting}`);
  return row[setting];
}

test("timeouts the URL sets replace the kit's, in options or as pg's parameters, on the primary and on a replica", async () => {
  // pg sends its statement_timeout after options, and PostgreSQL keeps the later one: the kit's 10 s used to win.
  const options = encodeURIComponent("-c statement_timeout=3s -c lock_timeout=700ms");
  const replica = `${db.url}?statement_timeout=400&idle_in_transaction_session_timeout=60000&application_name=kit-replica`;
  const kit = createAdapterKit({ database: { url: `${db.url}?options=${options}&connect_timeout=7`, replicas: [replica] }, synchronize: true });
  const defaults = createAdapterKit({ database: { url: db.url, replicas: [db.url] } });
  try {
    expect(await kit.authjs.getUser("u-timeouts")).toBeNull();
    expect([await shown(kit, "statement_timeout"), await shown(kit, "lock_timeout")]).toEqual(["3s", "700ms"]);
    expect([await shown(kit, "statement_timeout", "read"), await shown(kit, "idle_in_transaction_session_timeout", "read")]).toEqual(["400ms", "1min"]);
    // Nothing said: the kit's bounds (10 s on the primary, 1 s on a replica).
    expect([await shown(defaults, "statement_timeout"), await shown(defaults, "statement_timeout", "read")]).toEqual(["10s", "1s"]);
  } finally {
    await kit.close();
    await defaults.close();
  }
});

test("a URL's short timeout ends a blocked sign-in, on the server (options' long form) or on the client (query_timeout): DATABASE_UNAVAILABLE, then calls work", async () => {
  const forms = [`options=${encodeURIComponent("--statement-timeout=300ms")}`, "statement_timeout=0&query_timeout=300"];
  for (const [n, params] of forms.entries()) {
    const kit = createAdapterKit({ database: `${db.url}?${params}`, synchronize: true });
    try {
      const user = await kit.authjs.createUser({ id: `u-short-${n}`, email: `short-${n}@example.com`, emailVerified: null });
      expect(await shown(kit, "statement_timeout")).toBe(n === 0 ? "300ms" : "0");
      const session = { sessionToken: `short-session-${n}`, userId: user.id, expires: new Date(Date.now() + 60_000) };
      await withClient(db.url, async (locker) => {
        await locker.query("begin");
        await locker.query("lock table sessions in access exclusive mode");
        // The lock is held until the call settles: only the URL's timeout can end it.
        const error = await kit.authjs.createSession(session).catch((e: unknown) => e);
        await locker.query("rollback");
        expect(error).toMatchObject({ code: "DATABASE_UNAVAILABLE", message: expect.stringMatching(/did not answer in time/) });
      });
      // A new token: a statement the client gave up on may still have run once the lock went.
      expect(await kit.authjs.createSession({ ...session, sessionToken: `${session.sessionToken}-again` })).toMatchObject({ userId: user.id });
    } finally {
      await kit.close();
    }
  }
});

test("connect_timeout (libpq's seconds) gives up on a server that accepts and never answers, and the kit tries again", async () => {
  const silent = await startSilentServer();
  const kit = createAdapterKit({ database: `postgres://postgres:${PASSWORD}@127.0.0.1:${silent.port}/kit?connect_timeout=2` });
  try {
    const error = await kit.authjs.getUser("u-silent").catch((e: unknown) => e);
    // Without it, pg waits on its one socket until the kit's call bound ("did not answer in time").
    expect(error).toMatchObject({ code: "DATABASE_UNAVAILABLE", message: expect.stringMatching(/connection failed/) });
    expect(silent.accepted).toBeGreaterThan(1);
  } finally {
    await kit.close().catch(() => undefined);
    await silent.close();
  }
});
