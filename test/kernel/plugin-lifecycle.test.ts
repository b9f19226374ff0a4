import { createHash, createHmac } from "node:crypto";
import Redis from "ioredis";
import { hashVerificationTokens, sessionCache } from "../../plugins";
import { createAdapterKit, ErrorCode, MemoryDatabase, MemoryVerificationTokenStore, Plugin, type AdapterPlugin, type OperationContext } from "../../src";

const REDIS_PORT = Number(process.env.KIT_TEST_REDIS_PORT ?? 6379);
/** The session cache MACs what it stores in Redis with a key derived from this. */
const CACHE_SECRET = "lifecycle-test-cache-secret-of-32-bytes!";
const inAnHour = () => new Date(Date.now() + 3_600_000);
const sha256hex = (s: string) => createHash("sha256").update(s).digest("hex");
const hmac = (key: string, s: string) => createHmac("sha256", key).update(s).digest("hex");
const PEPPER = "pepper-".repeat(5);
const OUTER = "outer-pepper-".repeat(3);
const INNER = "inner-pepper-".repeat(3);

/** A plugin that records its lifecycle. */
function lifecycle(events: string[], name = "lifecycle"): AdapterPlugin {
  return {
    name,
    around: (_ctx, next) => next(),
    setup: () => void events.push(`${name} setup`),
    close: () => void events.push(`${name} close`),
  };
}

describe("plugin lifecycle", () => {
  test("setup runs when the kit starts serving, once; close() closes only what was set up", async () => {
    const events: string[] = [];
    const kit = createAdapterKit({ stores: "memory", plugins: [lifecycle(events, "early")] });
    expect(events).toEqual([]);
    await kit.authjs.getUser("u1");
    await kit.authjs.getUserByEmail("a@example.com");
    expect(events).toEqual(["early setup"]);

    kit.use(lifecycle(events, "late"));
    kit.use(lifecycle(events, "never-served"));
    expect(events).toEqual(["early setup"]);
    await kit.authjs.getUser("u1");
    expect(events).toEqual(["early setup", "late setup", "never-served setup"]);
    await kit.close();
    expect(events.slice(3).sort()).toEqual(["early close", "late close", "never-served close"]);
  });

  test("close() on a kit that never served sets up and closes nothing", async () => {
    const events: string[] = [];
    const kit = createAdapterKit({ stores: "memory", plugins: [lifecycle(events)] });
    await kit.close();
    expect(events).toEqual([]);
  });

  test("a session cache with Redis on a kit that never served: close() opens no connection", async () => {
    const redis = new Redis({ port: REDIS_PORT, lazyConnect: true, maxRetriesPerRequest: 1 });
    let duplicates = 0;
    const duplicate = redis.duplicate.bind(redis);
    redis.duplicate = (...args: Parameters<Redis["duplicate"]>) => (duplicates++, duplicate(...args));
    try {
      const idle = createAdapterKit({ stores: "memory", plugins: [sessionCache({ redis, secret: CACHE_SECRET })] });
      await idle.close();
      expect(duplicates).toBe(0);
      expect(redis.status).toBe("wait");

      // The same kind of kit that served once opens its subscriber then, and close() ends it.
      const served = createAdapterKit({ stores: "memory", plugins: [sessionCache({ redis, secret: CACHE_SECRET })] });
      await served.authjs.getSessionAndUser("no-such-session");
      expect(duplicates).toBe(1);
      await served.close();
    } finally {
      redis.disconnect();
    }
  });
});

describe("plugins that cannot be added are CONFIGURATION errors at use()", () => {
  test("the same plugin object twice in one kit", () => {
    const plugin = lifecycle([]);
    const kit = createAdapterKit({ stores: "memory", plugins: [plugin] });
    expect(() => kit.use(plugin)).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION, message: expect.stringContaining("already added to this kit") }));
  });

  test("the same plugin object in two kits", () => {
    const cache = sessionCache();
    createAdapterKit({ stores: "memory", plugins: [cache] });
    expect(() => createAdapterKit({ stores: "memory", plugins: [cache] })).toThrow(
      expect.objectContaining({ code: ErrorCode.CONFIGURATION, message: expect.stringContaining("another kit") }),
    );
  });

  test("a plugin targeting an operation that does not exist", () => {
    const kit = createAdapterKit({ stores: "memory" });
    const misspelt: AdapterPlugin = { name: "misspelt", operations: ["getSesion" as never], around: (_ctx, next) => next() };
    expect(() => kit.use(misspelt)).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION, message: expect.stringContaining('unknown operation "getSesion"') }));
  });

  test("something that is not a plugin", () => {
    const kit = createAdapterKit({ stores: "memory" });
    expect(() => kit.use({ name: "no-around" } as never)).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION }));
    expect(() => kit.use(class Undecorated {} as never)).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION }));
  });
});

describe("adding a hashing plugin after the kit has served", () => {
  test("both facades keep creating and using e-mail tokens; the Auth.js facade's are peppered from then on", async () => {
    const tables = new MemoryDatabase();
    const kit = createAdapterKit({ stores: "memory", bindStores: { verificationTokens: new MemoryVerificationTokenStore(tables) } });
    const v3 = await kit.legacy.getAdapter({ secret: "v3-secret" });
    const provider = { sendVerificationRequest: async () => undefined };
    await kit.authjs.createVerificationToken({ identifier: "before@example.com", token: "core-hash-0", expires: inAnHour() });
    await v3.createVerificationRequest("before-v3@example.com", "https://x", "raw-0", "v3-secret", provider);

    kit.use(hashVerificationTokens({ pepper: PEPPER }));

    const stored = () => [...tables.tokens.values()].map((row) => row.token);
    const created = await kit.authjs.createVerificationToken({ identifier: "after@example.com", token: "core-hash-1", expires: inAnHour() });
    expect(created).toMatchObject({ identifier: "after@example.com", token: "core-hash-1" });
    expect(stored()).toContain(hmac(PEPPER, "core-hash-1"));
    expect(stored()).not.toContain("core-hash-1");
    expect(await kit.authjs.useVerificationToken({ identifier: "after@example.com", token: "core-hash-1" })).toMatchObject({ identifier: "after@example.com" });

    // v3 keeps its own stored form, sha256hex(token + secret): the pepper does not apply on top.
    await v3.createVerificationRequest("after-v3@example.com", "https://x", "raw-1", "v3-secret", provider);
    expect(stored()).toContain(sha256hex("raw-1v3-secret"));
    expect(await v3.getVerificationRequest("after-v3@example.com", "raw-1", "v3-secret")).toMatchObject({ identifier: "after-v3@example.com" });
    // The link mailed before the plugin was added still signs in once.
    expect(await v3.getVerificationRequest("before-v3@example.com", "raw-0", "v3-secret")).toMatchObject({ identifier: "before-v3@example.com" });
    expect(await v3.getVerificationRequest("before-v3@example.com", "raw-0", "v3-secret")).toBeNull();
  });

  test("two hashing plugins stack: each layer hashes what it was handed and restores it on the way out", async () => {
    const tables = new MemoryDatabase();
    const kit = createAdapterKit({
      stores: "memory",
      bindStores: { verificationTokens: new MemoryVerificationTokenStore(tables) },
      plugins: [hashVerificationTokens({ pepper: OUTER, order: 800 }), hashVerificationTokens({ pepper: INNER })],
    });
    await kit.authjs.createVerificationToken({ identifier: "x@example.com", token: "core-hash", expires: inAnHour() });
    expect([...tables.tokens.values()].map((row) => row.token)).toEqual([hmac(INNER, hmac(OUTER, "core-hash"))]);
    expect(await kit.authjs.useVerificationToken({ identifier: "x@example.com", token: "core-hash" })).toMatchObject({ token: "core-hash" });
  });

  test("a @Plugin class added after serving is composed in too", async () => {
    const seen: string[] = [];
    @Plugin({ name: "late-class", operations: ["getUser"] })
    class LateClass {
      around(ctx: OperationContext, next: () => Promise<unknown>) {
        seen.push(ctx.operation);
        return next();
      }
    }
    const kit = createAdapterKit({ stores: "memory" });
    await kit.authjs.getUser("u1");
    kit.use(LateClass);
    await kit.authjs.getUser("u1");
    expect(seen).toEqual(["getUser"]);
  });
});
