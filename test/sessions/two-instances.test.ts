/**
 * Two app instances (two kits, each with its own Redis client and session cache) on one database
 * and one Redis: after `kit.sessions.revoke` on one, no instance serves a revoked session.
 */
import { randomUUID } from "node:crypto";
import type Redis from "ioredis";
import { sessionCache } from "../../plugins";
import { deleteKeys, ready, redisClient, TEST_SECRET, uniquePrefix } from "../../plugins/session-cache/test/support";
import { createAdapterKit, type AdapterKit } from "../../src";
import { createTestDatabase, type TestDatabase } from "../support/database";

let db: TestDatabase;
let prefix: string;
const clients: Redis[] = [];
const kits: AdapterKit[] = [];

/** One instance; `served` counts lookups answered by its cache, so a test can prove an entry was cached. */
async function instance() {
  const redis = redisClient();
  clients.push(redis);
  await ready(redis);
  const kit = createAdapterKit({
    database: db.url,
    // Session tokens are stored hashed (the default), under the kit's secret.
    secret: "two-instances-test-secret-0123456789abcdef",
    plugins: [sessionCache({ redis, prefix, secret: TEST_SECRET })],
  });
  kits.push(kit);
  const results: string[] = [];
  kit.events.on("cache.request", (e) => results.push(e.result));
  // Wait until the cache trusts Redis: a lookup that is not bypassed.
  for (let i = 0; i < 400 && results.at(-1) !== "miss"; i++) {
    await kit.authjs.getSessionAndUser(randomUUID());
    if (results.at(-1) === "bypass") await new Promise((r) => setTimeout(r, 50));
  }
  expect(results.at(-1)).toBe("miss");
  return { kit, results };
}

/** Reads a token until this instance answers it from its cache. */
async function cached(on: { kit: AdapterKit; results: string[] }, token: string) {
  expect(await on.kit.authjs.getSessionAndUser(token)).not.toBeNull();
  expect(await on.kit.authjs.getSessionAndUser(token)).not.toBeNull();
  expect(on.results.at(-1)).toBe("hit");
}

let a: Awaited<ReturnType<typeof instance>>;
let b: Awaited<ReturnType<typeof instance>>;

beforeAll(async () => {
  db = await createTestDatabase();
  prefix = uniquePrefix();
  const setup = createAdapterKit({ database: db.url });
  await setup.synchronize();
  await setup.close();
  a = await instance();
  b = await instance();
});

afterAll(async () => {
  for (const kit of kits) await kit.close();
  if (clients[0]) await deleteKeys(clients[0], prefix);
  for (const client of clients) client.disconnect();
  await db?.drop();
});

async function signedInOnThreeDevices(kit: AdapterKit) {
  const user = await kit.call("createUser", { email: `${randomUUID()}@example.com`, emailVerified: null });
  const tokens = [randomUUID(), randomUUID(), randomUUID()];
  for (const sessionToken of tokens) await kit.authjs.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() + 3_600_000) });
  return { user, tokens };
}

test("sign out other devices on A: neither A nor B serves a revoked session, both still serve the kept one", async () => {
  const { user, tokens } = await signedInOnThreeDevices(a.kit);
  for (const token of tokens) {
    await cached(a, token);
    await cached(b, token);
  }

  expect(await a.kit.sessions.revoke(user.id, { except: tokens[0] })).toBe(2);

  for (const on of [a, b]) {
    expect(await on.kit.authjs.getSessionAndUser(tokens[1]!)).toBeNull();
    expect(await on.kit.authjs.getSessionAndUser(tokens[2]!)).toBeNull();
    expect((await on.kit.authjs.getSessionAndUser(tokens[0]!))?.user.id).toBe(user.id);
  }
  expect((await b.kit.sessions.list(user.id, { current: tokens[0] })).map((s) => s.current)).toEqual([true]);
});

test("sign out everywhere on B: no instance serves any of the user's sessions", async () => {
  const { user, tokens } = await signedInOnThreeDevices(b.kit);
  for (const token of tokens) {
    await cached(a, token);
    await cached(b, token);
  }

  expect(await b.kit.sessions.revoke(user.id)).toBe(3);

  for (const on of [a, b]) for (const token of tokens) expect(await on.kit.authjs.getSessionAndUser(token)).toBeNull();
});
