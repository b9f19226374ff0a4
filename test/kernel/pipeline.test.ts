import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { Registry } from "prom-client";
import { hashVerificationTokens, logging, metrics } from "../../plugins";
import { SessionTokenHasher } from "../../src/kernel/sessionTokens";
import { GetSessionAndUser } from "../../src/operations/GetSessionAndUser";

const SESSION_SECRET = "pipeline-test-secret-0123456789abcdef";
import {
  AdapterError,
  createAdapterKit,
  createMemoryStores,
  ErrorCode,
  MemoryDatabase,
  MemorySessionStore,
  OPERATION_NAMES,
  OPERATION_REGISTRY,
  OPERATIONS,
  inject,
  TYPES,
  type AdapterPlugin,
  type SessionStore,
  type UserStore,
  type OperationContext,
} from "../../src";

const inAnHour = () => new Date(Date.now() + 3_600_000);
const sha256hex = (s: string) => createHash("sha256").update(s).digest("hex");

/** Records every call that passes through it: operation, facade, arguments, outcome. */
function recorder(calls: Array<{ operation: string; facade: string; args: unknown; outcome: string }>, order?: number): AdapterPlugin {
  return {
    name: "recorder",
    order,
    async around(ctx, next) {
      try {
        const result = await next();
        calls.push({ operation: ctx.operation, facade: ctx.facade, args: ctx.args, outcome: "ok" });
        return result;
      } catch (error) {
        calls.push({ operation: ctx.operation, facade: ctx.facade, args: ctx.args, outcome: (error as AdapterError).code });
        throw error;
      }
    },
  };
}

function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("argument checks run inside the chain", () => {
  test("logging, metrics and an outer plugin see INVALID_INPUT like any other outcome; the caller gets that same error", async () => {
    const registry = new Registry();
    const { logger, records } = memoryLogger();
    const seen: unknown[] = [];
    const outer: AdapterPlugin = {
      name: "outer",
      order: 1,
      async around(_ctx, next) {
        return next().catch((error: unknown) => {
          seen.push(error);
          throw error;
        });
      },
    };
    const kit = createAdapterKit({ stores: "memory", plugins: [outer, metrics({ registry, tracing: false }), logging({ logger })] });
    const thrown = await kit.authjs.getUser(42 as never).catch((e: unknown) => e);

    expect(thrown).toMatchObject({ code: ErrorCode.INVALID_INPUT, operation: "getUser", message: expect.stringContaining('"id" must be a non-empty string') });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(thrown);
    expect(await registry.metrics()).toContain('auth_adapter_operation_errors_total{operation="getUser",code="INVALID_INPUT"} 1');
    expect(records()).toEqual([expect.objectContaining({ operation: "getUser", outcome: "error", code: "INVALID_INPUT" })]);
    await kit.close();
  });

  test("the check sees the arguments the operation receives: a plugin that rewrites them into junk is refused", async () => {
    const breaker: AdapterPlugin = {
      name: "breaker",
      operations: ["getUserByEmail"],
      around(ctx, next) {
        ctx.args = { email: "" } as never;
        return next();
      },
    };
    const kit = createAdapterKit({ stores: "memory", plugins: [breaker] });
    await expect(kit.authjs.getUserByEmail("fine@example.com")).rejects.toMatchObject({ code: ErrorCode.INVALID_INPUT, message: expect.stringContaining('"email"') });
  });
});

describe("errors", () => {
  test("a store's AdapterError reaches the caller named for the operation, on a new object; the store's own is unchanged", async () => {
    const stores = createMemoryStores();
    const raised: AdapterError[] = [];
    const users = Object.create(stores.users) as typeof stores.users;
    users.findById = async () => {
      const error = new AdapterError(ErrorCode.DATABASE_ERROR, "the database refused");
      raised.push(error);
      throw error;
    };
    const kit = createAdapterKit({ stores: "memory", bindStores: { users } });
    const thrown = await kit.authjs.getUser("u1").catch((e: unknown) => e);
    expect(thrown).toMatchObject({ code: ErrorCode.DATABASE_ERROR, operation: "getUser", message: "getUser: the database refused" });
    expect(raised[0]).not.toBe(thrown);
    expect(raised[0]).toMatchObject({ operation: undefined, message: "the database refused" });
  });

  test("a plugin calling next() twice: the caller gets INTERNAL, the operation ran once", async () => {
    let creates = 0;
    const counting: AdapterPlugin = { name: "counting", operations: ["createUser"], around: (_ctx, next) => (creates++, next()) };
    const twice: AdapterPlugin = {
      name: "retry-everything",
      operations: ["createUser"],
      async around(_ctx, next) {
        await next();
        return next();
      },
    };
    const kit = createAdapterKit({ stores: "memory", plugins: [twice, counting] });
    await expect(kit.authjs.createUser({ email: "once@example.com", emailVerified: null })).rejects.toMatchObject({
      code: ErrorCode.INTERNAL,
      message: expect.stringContaining('plugin "retry-everything": next() called multiple times'),
    });
    expect(creates).toBe(1);
  });
});

describe("getSessionAndUser translates its own failures (the pipeline adds no step for it)", () => {
  const cases: Array<[string, (stores: ReturnType<typeof createMemoryStores>) => void]> = [
    ["the store rejects", (stores) => void (stores.sessions.findWithUser = async () => Promise.reject(new TypeError("driver bug")))],
    ["the store throws synchronously", (stores) => void (stores.sessions.findWithUser = () => { throw new TypeError("driver bug"); })],
    ["the store answers without an expiry", (stores) => void (stores.sessions.findWithUser = async () => ({ session: {}, user: {} }) as never)],
  ];
  for (const [what, breakStore] of cases) {
    for (const sessionTokens of ["raw", "hashed"] as const) {
      test(`${what} (${sessionTokens} tokens): every plugin and the caller get one AdapterError naming the operation`, async () => {
        const stores = createMemoryStores();
        const sessions = Object.create(stores.sessions) as typeof stores.sessions;
        breakStore({ ...stores, sessions });
        const seen: unknown[] = [];
        const watching = (name: string): AdapterPlugin => ({
          name,
          around: (_ctx, next) =>
            next().catch((error: unknown) => {
              seen.push(error);
              throw error;
            }),
        });
        const passing: AdapterPlugin = { name: "pass", around: (_ctx, next) => next() };
        const kit = createAdapterKit({ stores: "memory", bindStores: { ...stores, sessions }, sessionTokens, secret: SESSION_SECRET, plugins: [watching("outer"), passing, watching("inner")] });
        const thrown = await kit.authjs.getSessionAndUser("some-token").catch((e: unknown) => e);
        expect(thrown).toBeInstanceOf(AdapterError);
        expect(thrown).toMatchObject({ code: ErrorCode.INTERNAL, operation: "getSessionAndUser" });
        expect(seen).toHaveLength(2);
        expect(seen[0]).toBe(thrown);
        expect(seen[1]).toBe(thrown);
      });
    }
  }
});

test("a subclass of GetSessionAndUser with its own execute is not trusted to translate: plugins still get an AdapterError", async () => {
  class Raw extends GetSessionAndUser {
    constructor(@inject(TYPES.SessionStore) sessions: SessionStore, @inject(TYPES.UserStore) users: UserStore) {
      super(sessions, users);
    }
    override execute(): Promise<never> {
      return Promise.reject(new TypeError("raw"));
    }
  }
  const seen: unknown[] = [];
  const watching: AdapterPlugin = { name: "watching", around: (_ctx, next) => next().catch((e: unknown) => (seen.push(e), Promise.reject(e))) };
  const kit = createAdapterKit({ stores: "memory", sessionTokens: "raw", operations: { getSessionAndUser: Raw }, plugins: [watching] });
  const thrown = await kit.authjs.getSessionAndUser("t").catch((e: unknown) => e);
  expect(thrown).toMatchObject({ code: ErrorCode.INTERNAL, operation: "getSessionAndUser" });
  expect(seen).toEqual([thrown]);
  expect(seen[0]).toBe(thrown);
});

describe("getSessionAndUser and an expired session", () => {
  test("the deletion is a deleteSession through every plugin, with the token the caller presented", async () => {
    const calls: Array<{ operation: string; facade: string; args: unknown; outcome: string }> = [];
    const stores = createMemoryStores();
    // Session tokens are stored hashed (the kit's default): the follow-up must delete by what the
    // caller presented, and the kit turns that into the stored form once.
    const kit = createAdapterKit({ stores: "memory", bindStores: stores, secret: SESSION_SECRET, plugins: [recorder(calls, 1)] });
    const user = await kit.authjs.createUser({ email: "late@example.com", emailVerified: null });
    await kit.authjs.createSession({ sessionToken: "expired-token", userId: user.id, expires: new Date(Date.now() - 1000) });
    expect(await stores.sessions.find(new SessionTokenHasher(SESSION_SECRET).stored("expired-token"))).not.toBeNull();
    calls.length = 0;

    const v3 = await kit.legacy.getAdapter({ secret: "s" });
    expect(await v3.getSession("expired-token")).toBeNull();
    expect(calls.map((c) => [c.operation, c.facade, c.args, c.outcome])).toEqual([
      ["getSessionAndUser", "legacy", { sessionToken: "expired-token" }, "ok"],
      ["deleteSession", "legacy", { sessionToken: "expired-token" }, "ok"],
    ]);
    expect(await stores.sessions.find(new SessionTokenHasher(SESSION_SECRET).stored("expired-token"))).toBeNull();
  });
});

describe("one registry of operations", () => {
  test("names, container identifiers, default bindings, checks and the Auth.js facade all come from the registry", () => {
    const kit = createAdapterKit({ stores: "memory" });
    expect(OPERATION_NAMES).toEqual(Object.keys(OPERATION_REGISTRY));
    expect(Object.keys(OPERATIONS)).toEqual(OPERATION_NAMES);
    for (const name of OPERATION_NAMES) {
      const definition = OPERATION_REGISTRY[name];
      expect(typeof definition.check).toBe("function");
      expect(kit.container.get(OPERATIONS[name])).toBeInstanceOf(definition.implementation);
    }
    const withAuthjs = OPERATION_NAMES.filter((name) => OPERATION_REGISTRY[name].authjs !== undefined);
    expect(Object.keys(kit.authjs).sort()).toEqual([...withAuthjs].sort());
    // v3-only and kit-only operations have no Auth.js method.
    expect(withAuthjs).not.toContain("getUserByCredentials");
    expect(withAuthjs).not.toContain("getVerificationToken");
  });

  test("every operation's check refuses a call without an argument object, before its store is asked", async () => {
    const kit = createAdapterKit({ stores: "memory" });
    for (const name of OPERATION_NAMES) {
      await expect(kit.call(name, null as never)).rejects.toMatchObject({ code: ErrorCode.INVALID_INPUT, operation: name });
    }
  });
});

describe("the v3 secret stays in the v3 facade", () => {
  test("plugins see the stored form sha256hex(token + secret) and no secret anywhere in the context", async () => {
    const contexts: OperationContext[] = [];
    const spy: AdapterPlugin = { name: "spy", around: (ctx, next) => (contexts.push({ ...ctx }), next()) };
    const kit = createAdapterKit({ stores: "memory", plugins: [spy] });
    const v3 = await kit.legacy.getAdapter({ secret: "app-secret" });
    await v3.createVerificationRequest("a@example.com", "https://x", "raw-token", "call-secret", { sendVerificationRequest: async () => undefined });
    expect(contexts).toHaveLength(1);
    expect(contexts[0]!.args).toMatchObject({ identifier: "a@example.com", token: sha256hex("raw-token" + "call-secret") });
    expect(JSON.stringify(contexts[0])).not.toContain("call-secret");
    expect(JSON.stringify(contexts[0])).not.toContain("raw-token");
    expect(Object.keys(contexts[0]!).sort()).toEqual(["args", "facade", "followUp", "operation"]);
  });

  test("a malformed v3 e-mail token is refused with INVALID_INPUT inside the chain, not hashed", async () => {
    const calls: Array<{ operation: string; facade: string; args: unknown; outcome: string }> = [];
    const kit = createAdapterKit({ stores: "memory", plugins: [recorder(calls)] });
    const v3 = await kit.legacy.getAdapter({ secret: "s" });
    await expect(v3.getVerificationRequest("a@example.com", "nul\u0000byte", "s")).rejects.toMatchObject({ code: ErrorCode.INVALID_INPUT });
    expect(calls).toEqual([expect.objectContaining({ operation: "useVerificationToken", outcome: "INVALID_INPUT" })]);
  });
});

describe("a session store's own findWithUser is always the one asked", () => {
  // The built-in stores answer the hot lookup with the operation's step folded into theirs; a
  // subclass that overrides findWithUser must still be called, and an expired answer still deleted.
  test("a subclass of the in-memory store overriding findWithUser: asked on every lookup", async () => {
    const db = new MemoryDatabase();
    const base = createMemoryStores(db);
    const asked: string[] = [];
    class Counting extends MemorySessionStore {
      override findWithUser(token: string) {
        asked.push(token);
        return super.findWithUser(token);
      }
    }
    const sessions = new Counting(db);
    const kit = createAdapterKit({ stores: "memory", bindStores: { ...base, sessions }, sessionTokens: "raw" });
    const user = await kit.authjs.createUser({ email: "own-find@example.com", emailVerified: null });
    await kit.authjs.createSession({ sessionToken: "live", userId: user.id, expires: inAnHour() });
    await kit.authjs.createSession({ sessionToken: "gone", userId: user.id, expires: new Date(Date.now() - 1000) });
    expect(await kit.authjs.getSessionAndUser("live")).toMatchObject({ session: { sessionToken: "live" }, user: { id: user.id } });
    expect(await kit.authjs.getSessionAndUser("gone")).toBeNull();
    expect(asked).toEqual(["live", "gone"]);
    expect(await sessions.find("gone")).toBeNull();
  });

  test("the in-memory store's own lookup answering a row without an expiry: a rejected AdapterError, never a throw from the call", async () => {
    const db = new MemoryDatabase();
    const seen: unknown[] = [];
    const watching: AdapterPlugin = {
      name: "watching",
      around: (_ctx, next) =>
        next().catch((error: unknown) => {
          seen.push(error);
          throw error;
        }),
    };
    const kit = createAdapterKit({ stores: "memory", bindStores: createMemoryStores(db), sessionTokens: "raw", plugins: [watching] });
    const user = await kit.authjs.createUser({ email: "no-expiry@example.com", emailVerified: null });
    db.sessions.set("broken", { sessionToken: "broken", userId: user.id } as never);
    let returned: Promise<unknown> | undefined;
    expect(() => void (returned = kit.authjs.getSessionAndUser("broken"))).not.toThrow();
    const thrown = await returned!.catch((e: unknown) => e);
    expect(thrown).toMatchObject({ code: ErrorCode.INTERNAL, operation: "getSessionAndUser" });
    // The plugin got it as a rejection of next(), the same error the caller got.
    expect(seen).toEqual([thrown]);
    // The operation itself rejects too (a team's operation may call it directly).
    const stores = createMemoryStores(db);
    let direct: Promise<unknown> | undefined;
    expect(() => void (direct = new GetSessionAndUser(stores.sessions, stores.users).execute({ sessionToken: "broken" }))).not.toThrow();
    await expect(direct).rejects.toMatchObject({ code: ErrorCode.INTERNAL, operation: "getSessionAndUser" });
  });
});

describe("hashed session tokens and getSessionAndUser: the store sees the stored form, the caller its own token", () => {
  const stored = (token: string) => new SessionTokenHasher(SESSION_SECRET).stored(token);

  /** A session store that records the tokens it was asked about (the in-memory one underneath). */
  function watchedStores() {
    const stores = createMemoryStores();
    const asked: string[] = [];
    const find = stores.sessions.findWithUser!.bind(stores.sessions);
    stores.sessions.findWithUser = (token: string) => (asked.push(token), find(token));
    return { stores, asked };
  }

  test("the built-in operation (it puts the presented token back itself)", async () => {
    const { stores, asked } = watchedStores();
    const kit = createAdapterKit({ stores: "memory", bindStores: stores as never, secret: SESSION_SECRET });
    const user = await kit.authjs.createUser({ email: "hashed-builtin@example.com", emailVerified: null });
    await kit.authjs.createSession({ sessionToken: "presented-1", userId: user.id, expires: inAnHour() });
    const found = await kit.authjs.getSessionAndUser("presented-1");
    expect(found).toMatchObject({ session: { sessionToken: "presented-1", userId: user.id }, user: { id: user.id } });
    expect(asked).toEqual([stored("presented-1")]);
    // The stored record keeps the stored form: the caller's copy was changed, not the store's row.
    expect((await stores.sessions.find(stored("presented-1")))?.sessionToken).toBe(stored("presented-1"));
  });

  test("an operation of the team's own gets the stored form and its answer is given the presented token", async () => {
    const { stores, asked } = watchedStores();
    class Own extends GetSessionAndUser {
      constructor(@inject(TYPES.SessionStore) sessions: SessionStore, @inject(TYPES.UserStore) users: UserStore) {
        super(sessions, users);
      }
      override execute(args: { sessionToken: string }) {
        return super.execute(args);
      }
    }
    const kit = createAdapterKit({ stores: "memory", bindStores: stores as never, secret: SESSION_SECRET, operations: { getSessionAndUser: Own } });
    const user = await kit.authjs.createUser({ email: "hashed-own@example.com", emailVerified: null });
    await kit.authjs.createSession({ sessionToken: "presented-2", userId: user.id, expires: inAnHour() });
    expect(await kit.authjs.getSessionAndUser("presented-2")).toMatchObject({ session: { sessionToken: "presented-2" }, user: { id: user.id } });
    expect(asked).toEqual([stored("presented-2")]);
  });
});
