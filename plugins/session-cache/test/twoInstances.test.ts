/**
 * Two app instances behind a load balancer: two kits, each with its own ioredis client and its own
 * cache, on one PostgreSQL database and one Redis.
 */
import { randomUUID } from "node:crypto";
import type Redis from "ioredis";
import type { TestDatabase } from "../../../test/support/database";
import { createTestDatabaseWithSchema } from "../../../test/support/schemaDatabase";
import { cachedKit, deleteKeys, ready, redisClient, signIn, uniquePrefix, untilTrusted, type CachedKit, holdStoreAnswers } from "./support";

let db: TestDatabase;
let prefix: string;
const clients: Redis[] = [];
const kits: CachedKit[] = [];

/** An instance: its own Redis client and kit, waiting until its cache trusts Redis. */
async function instance(options: { negativeTtlMs?: number } = {}): Promise<CachedKit> {
  const redis = redisClient();
  clients.push(redis);
  await ready(redis);
  const made = cachedKit(db.url, { redis, prefix, ...options });
  kits.push(made);
  return untilTrusted(made);
}

/** Reads on `on` until the lookup is answered by the cache, so the test starts from a cached entry. */
async function cachedOn(on: CachedKit, sessionToken: string): Promise<void> {
  await on.kit.call("getSessionAndUser", { sessionToken });
  await on.kit.call("getSessionAndUser", { sessionToken });
  expect(on.events.at(-1)).toBe("hit");
}

let a: CachedKit;
let b: CachedKit;

beforeAll(async () => {
  db = await createTestDatabaseWithSchema();
  prefix = uniquePrefix();
  a = await instance();
  b = await instance();
});

afterAll(async () => {
  for (const { kit } of kits) await kit.close();
  if (clients[0]) await deleteKeys(clients[0], prefix);
  for (const client of clients) client.disconnect();
  await db?.drop();
});

test("sign-out on instance A: instance B, which had the session cached, returns null right after", async () => {
  const { session } = await signIn(a.kit);
  await cachedOn(b, session.sessionToken);
  await a.kit.call("deleteSession", { sessionToken: session.sessionToken });
  expect(await b.kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).toBeNull();
});

test("the v3 facade's sign-out on A is seen by B's v3 getSession right after", async () => {
  const v3a = await a.kit.legacy.getAdapter({ secret: "s" });
  const v3b = await b.kit.legacy.getAdapter({ secret: "s" });
  const user = await v3a.createUser({ email: `${randomUUID()}@example.com`, name: "V3" });
  const session = await v3a.createSession(user);
  await cachedOn(b, session.sessionToken);
  await v3a.deleteSession(session.sessionToken);
  expect(await v3b.getSession(session.sessionToken)).toBeNull();
});

test("a session B read from the shared Redis tier is a hit without a store query on B", async () => {
  const { session } = await signIn(a.kit);
  await a.kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  const before = b.reads.count;
  expect(await b.kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).not.toBeNull();
  expect(b.reads.count).toBe(before);
  expect(b.events.at(-1)).toBe("hit");
});

test("updateUser on A: B serves the new user right after, for every session of that user", async () => {
  const { user, session } = await signIn(a.kit);
  const second = await a.kit.call("createSession", { sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + 3_600_000) });
  await cachedOn(b, session.sessionToken);
  await cachedOn(b, second.sessionToken);
  await a.kit.call("updateUser", { id: user.id, name: "Renamed" });
  expect((await b.kit.call("getSessionAndUser", { sessionToken: session.sessionToken }))!.user.name).toBe("Renamed");
  expect((await b.kit.call("getSessionAndUser", { sessionToken: second.sessionToken }))!.user.name).toBe("Renamed");
  await a.kit.call("deleteUser", { id: user.id });
  expect(await b.kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).toBeNull();
  expect(await b.kit.call("getSessionAndUser", { sessionToken: second.sessionToken })).toBeNull();
});

test("a lookup on B that read the database before A's sign-out does not put the session back into Redis", async () => {
  // B's store answer is held until A has signed the session out; then a third instance (empty
  // in-process tier) must not find the session in the shared tier.
  const slow = await instance();
  const { holding, release } = holdStoreAnswers(slow.kit);
  const { session } = await signIn(a.kit);
  const early = slow.kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  await holding;
  await a.kit.call("deleteSession", { sessionToken: session.sessionToken });
  release();
  await early;
  const third = await instance();
  expect(await third.kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).toBeNull();
  expect(await slow.kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).toBeNull();
});

test("a negative entry on B never hides a session created on A afterwards", async () => {
  const negA = await instance({ negativeTtlMs: 60_000 });
  const negB = await instance({ negativeTtlMs: 60_000 });
  const { user } = await signIn(negA.kit);
  const token = randomUUID();
  expect(await negB.kit.call("getSessionAndUser", { sessionToken: token })).toBeNull();
  expect(await negB.kit.call("getSessionAndUser", { sessionToken: token })).toBeNull();
  expect(negB.events.at(-1)).toBe("hit");
  await negA.kit.call("createSession", { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 3_600_000) });
  expect(await negB.kit.call("getSessionAndUser", { sessionToken: token })).not.toBeNull();
});

