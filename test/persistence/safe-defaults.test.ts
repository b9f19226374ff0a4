/**
 * Safe defaults (issue 11 §4): no quiet in-memory database in production, plain identifiers only
 * in entity options, and configuration errors that never echo a connection URL.
 */
import { createAdapterKit, createEntities, nextAuthV3Entities, type AdapterKit } from "../../src";
import { AdapterError } from "../../src/errors/AdapterError";
import { authjsRoundTrip } from "../support/authjsRoundTrip";

/** Runs `fn` with NODE_ENV set to `env`, restoring it afterwards. */
async function withNodeEnv<T>(env: string, fn: () => Promise<T> | T): Promise<T> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = env;
  try {
    return await fn();
  } finally {
    process.env.NODE_ENV = before;
  }
}

function thrown(fn: () => unknown): AdapterError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AdapterError) return error;
    throw error;
  }
  throw new Error("expected an AdapterError");
}

async function roundTrip(kit: AdapterKit): Promise<void> {
  try {
    await authjsRoundTrip(kit.authjs);
  } finally {
    await kit.close();
  }
}

describe("no database in production", () => {
  test("omitting `database` under NODE_ENV=production is CONFIGURATION, saying what to do", async () => {
    const error = await withNodeEnv("production", () => thrown(() => createAdapterKit({})));
    expect(error.code).toBe("CONFIGURATION");
    expect(error.message).toContain("DATABASE_URL");
    expect(error.message).toContain('database: "memory"');
    // What the README's quick start does with DATABASE_URL unset.
    expect(await withNodeEnv("production", () => thrown(() => createAdapterKit({ database: process.env.NAK_UNSET_VARIABLE })).code)).toBe("CONFIGURATION");
  });

  test('`database: "memory"` (the embedded SQLite) and `stores: "memory"` are explicit choices, accepted in production', async () => {
    // (Session tokens are hashed by default, which needs a secret in production.)
    const secret = "safe-defaults-secret-0123456789abcdef";
    await roundTrip(await withNodeEnv("production", () => createAdapterKit({ database: "memory", secret })));
    await roundTrip(await withNodeEnv("production", () => createAdapterKit({ stores: "memory", secret })));
  });

  test("in development the embedded default stays, and the kit warns once per process that data lives in memory", async () => {
    // Observes the real process.emitWarning (it still runs); jest's sandbox does not relay "warning" events.
    const emitted = jest.spyOn(process, "emitWarning");
    let calls: unknown[][];
    try {
      await withNodeEnv("development", async () => {
        await roundTrip(createAdapterKit());
        await roundTrip(createAdapterKit());
        await roundTrip(createAdapterKit({ database: "memory" }));
      });
    } finally {
      calls = [...emitted.mock.calls];
      emitted.mockRestore();
    }
    const ours = calls.filter(([, options]) => (options as { code?: string } | undefined)?.code === "NAK_IN_MEMORY_DATABASE").map(([message]) => ({ message: String(message) }));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.message).toMatch(/in memory/);
  });
});

describe("entity options reach SQL text, so they must be plain identifiers", () => {
  const bad: Array<[string, Parameters<typeof createEntities>[0]]> = [
    ["a table name with a quote", { tables: { user: 'users" cascade' } }],
    ["a table name with a placeholder", { tables: { session: "sessions?" } }],
    ["a table name with a space", { tables: { account: "my accounts" } }],
    ["a schema with a dot", { schema: "auth.public" }],
    ["a table name of 64 characters", { tables: { user: "u".repeat(64) } }],
    ["a table name starting with a digit", { tables: { user: "1users" } }],
    ["an extra property name with a semicolon", { properties: { user: { "role;drop": { type: "string" } } } }],
    ["an extra column name with a quote", { properties: { account: { extra: { type: "string", fieldName: "x'y" } } } }],
    ["an empty table name", { tables: { user: "" } }],
  ];
  test.each(bad)("%s is CONFIGURATION", (_what, options) => {
    expect(thrown(() => createEntities(options)).code).toBe("CONFIGURATION");
    expect(thrown(() => nextAuthV3Entities(options)).code).toBe("CONFIGURATION");
    expect(thrown(() => createAdapterKit({ stores: "mikro-orm", database: "memory", entities: options })).code).toBe("CONFIGURATION");
  });

  test("plain names of up to 63 characters are fine, and work", async () => {
    const entities = createEntities({ tables: { user: `app_users_${"x".repeat(53)}`, session: "App_Sessions2" }, properties: { user: { role_name: { type: "string", nullable: true } } } });
    await roundTrip(createAdapterKit({ database: "memory", entities }));
  });
});

describe("configuration errors never echo a connection URL", () => {
  const PASSWORD = "s3cr3t-Passw0rd";
  const parts = [PASSWORD, "admin", "db.internal.example", "5433", "mssql", "auth_prod"];
  const url = `mssql://admin:${PASSWORD}@db.internal.example:5433/auth_prod`;

  test.each([
    ["a URL of an unsupported kind", { database: url }],
    ["a URL passed as the TypeORM type", { database: { type: url } }],
    ["a URL passed as `stores`", { stores: url }],
    ["a URL with a typo in the scheme", { database: `postgress://admin:${PASSWORD}@db.internal.example:5433/auth_prod` }],
  ])("%s", (_what, options) => {
    const error = thrown(() => createAdapterKit(options as never));
    expect(error.code).toBe("CONFIGURATION");
    for (const part of parts) expect(error.message).not.toContain(part);
  });
});
