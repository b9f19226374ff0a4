/**
 * One kit with the session cache (in-process tier + Redis tier) on a real PostgreSQL and the local
 * Redis. A counting plugin inside the cache (order 400) tells how many lookups reached the store.
 */
import { randomUUID } from "node:crypto";
import type Redis from "ioredis";
import { query, type TestDatabase } from "../../../test/support/database";
import { createTestDatabaseWithSchema } from "../../../test/support/schemaDatabase";
import { tokenId } from "../keys";
import { cachedKit, deleteKeys, ready, redisClient, signIn, sleep, uniquePrefix, untilTrusted, type CachedKit, holdStoreAnswers } from "./support";

let db: TestDatabase;
let redis: Redis;
let prefix: string;
let subject: CachedKit;
const opened: CachedKit[] = [];

/** A kit whose cache already trusts Redis, so hits are possible. */
function trustedKit(options: Parameters<typeof cachedKit>[1] = {}): Promise<CachedKit> {
  const made = cachedKit(db.url, { redis, prefix, ...options });
  opened.push(made);
  return untilTrusted(made);
}

beforeAll(async () => {
  db = await createTestDatabaseWithSchema();
  redis = redisClient();
  await ready(redis);
  prefix = uniquePrefix();
  subject = await trustedKit();
});

beforeEach(() => {
  subject.reads.count = 0;
  subject.events.length = 0;
});

afterAll(async () => {
  for (const { kit } of opened) await kit.close();
  if (redis) await deleteKeys(redis, prefix);
  redis?.disconnect();
  await db?.drop();
});

test("the second lookup of a session is a hit: the store is not queried and the value is the same", async () => {
  const { kit, reads, events, cache } = subject;
  const before = cache.stats();
  const { session, user } = await signIn(kit);
  const first = await kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  const second = await kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  expect(first).toEqual({ session, user });
  expect(second).toEqual(first);
  expect(second!.session.expires).toBeInstanceOf(Date);
  expect(reads.count).toBe(1);
  expect(events).toEqual(["miss", "hit"]);
  const after = cache.stats();
  expect([after.hits - before.hits, after.misses - before.misses, after.bypasses - before.bypasses]).toEqual([1, 1, 0]);
  expect(after.size).toBeGreaterThan(0);
  // Each caller gets its own object: mutating one does not poison the cache.
  second!.user.name = "Mallory";
  expect((await kit.call("getSessionAndUser", { sessionToken: session.sessionToken }))!.user.name).toBe("Ada");
});

test("the NextAuth v3 getSession goes through the cache too", async () => {
  const { kit, reads } = subject;
  const v3 = await kit.legacy.getAdapter({ secret: "s" });
  const user = await v3.createUser({ email: `${randomUUID()}@example.com`, name: "V3" });
  const created = await v3.createSession(user);
  reads.count = 0;
  expect(await v3.getSession(created.sessionToken)).toEqual(created);
  expect(await v3.getSession(created.sessionToken)).toEqual(created);
  expect(reads.count).toBe(1);
});

test("Redis holds no raw session token, in its keys or its values", async () => {
  const { kit } = subject;
  const { session } = await signIn(kit);
  await kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  const keys = await redis.keys(`${prefix}*`);
  const values = await Promise.all(keys.map((k) => redis.type(k).then((t) => (t === "string" ? redis.get(k) : redis.smembers(k).then((m) => m.join(","))))));
  expect(keys.some((k) => k.includes(tokenId(session.sessionToken)))).toBe(true);
  expect(keys.join("\n")).not.toContain(session.sessionToken);
  expect(values.join("\n")).not.toContain(session.sessionToken);
});

test("with session tokens stored hashed (the kit's default), the cache still hits and invalidates, and keeps no raw token", async () => {
  const hashed = await trustedKit();
  const { session } = await signIn(hashed.kit);
  const [row] = await query<{ session_token: string }>(db.url, `select session_token from sessions where user_id = $1`, [session.userId]);
  expect(row!.session_token).not.toBe(session.sessionToken);
  expect((await hashed.kit.call("getSessionAndUser", { sessionToken: session.sessionToken }))!.session.sessionToken).toBe(session.sessionToken);
  expect((await hashed.kit.call("getSessionAndUser", { sessionToken: session.sessionToken }))!.session.sessionToken).toBe(session.sessionToken);
  expect(hashed.reads.count).toBe(1);
  const stored = (await redis.keys(`${prefix}*`)).join("\n") + (await Promise.all((await redis.keys(`${prefix}v:*`)).map((k) => redis.get(k)))).join("\n");
  expect(stored).not.toContain(session.sessionToken);
  await hashed.kit.call("deleteSession", { sessionToken: session.sessionToken });
  expect(await hashed.kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).toBeNull();
});

test("an entry never outlives the session's expires", async () => {
  const { kit, reads } = subject;
  const { session } = await signIn(kit, 1500);
  expect(await kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).not.toBeNull();
  expect(await kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).not.toBeNull();
  expect(reads.count).toBe(1);
  await sleep(session.expires.getTime() - Date.now() + 50);
  expect(await kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).toBeNull();
});

test("an entry never outlives ttlMs: after it the store answers again", async () => {
  const short = await trustedKit({ ttlMs: 300 });
  const { session } = await signIn(short.kit);
  await short.kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  await short.kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  expect(short.reads.count).toBe(1);
  // Change the row behind the cache's back: only a lookup that reaches the store can see it.
  // By user (a fresh one per sign-in): the row holds the token's stored form, not the token.
  await query(db.url, `update sessions set expires = $1 where user_id = $2`, [new Date(Date.now() + 7_200_000), session.userId]);
  await sleep(350);
  const after = await short.kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  expect(short.reads.count).toBe(2);
  expect(after!.session.expires.getTime()).toBeGreaterThan(session.expires.getTime());
});

test("ten concurrent lookups of one uncached token make one store query", async () => {
  const { kit, reads } = subject;
  const { session, user } = await signIn(kit);
  const results = await Promise.all(Array.from({ length: 10 }, () => kit.call("getSessionAndUser", { sessionToken: session.sessionToken })));
  expect(reads.count).toBe(1);
  for (const result of results) expect(result).toEqual({ session, user });
  // Distinct objects for distinct callers.
  expect(new Set(results).size).toBe(10);
});

test("deleteSession (sign-out) invalidates: the next lookup returns null", async () => {
  const { kit } = subject;
  const { session } = await signIn(kit);
  await kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  await kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  await kit.call("deleteSession", { sessionToken: session.sessionToken });
  expect(await kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).toBeNull();
});

test("updateSession invalidates: the next lookup sees the new expiry", async () => {
  const { kit } = subject;
  const { session } = await signIn(kit);
  await kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  const expires = new Date(Date.now() + 10 * 24 * 3600 * 1000);
  await kit.call("updateSession", { sessionToken: session.sessionToken, expires });
  expect((await kit.call("getSessionAndUser", { sessionToken: session.sessionToken }))!.session.expires).toEqual(expires);
});

test("updateUser and deleteUser invalidate every cached session of that user", async () => {
  const { kit } = subject;
  const { user, session: one } = await signIn(kit);
  const two = await kit.call("createSession", { sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + 3_600_000) });
  const other = await signIn(kit);
  for (const token of [one.sessionToken, two.sessionToken, other.session.sessionToken]) await kit.call("getSessionAndUser", { sessionToken: token });

  await kit.call("updateUser", { id: user.id, name: "Grace" });
  for (const token of [one.sessionToken, two.sessionToken]) {
    expect((await kit.call("getSessionAndUser", { sessionToken: token }))!.user.name).toBe("Grace");
  }
  expect((await kit.call("getSessionAndUser", { sessionToken: other.session.sessionToken }))!.user.name).toBe("Ada");

  await kit.call("deleteUser", { id: user.id });
  expect(await kit.call("getSessionAndUser", { sessionToken: one.sessionToken })).toBeNull();
  expect(await kit.call("getSessionAndUser", { sessionToken: two.sessionToken })).toBeNull();
  expect(await kit.call("getSessionAndUser", { sessionToken: other.session.sessionToken })).not.toBeNull();
});

test("unlinkAccount drops the owner's cached sessions", async () => {
  const { kit, reads } = subject;
  const { user, session } = await signIn(kit);
  const providerAccountId = randomUUID();
  await kit.call("linkAccount", { userId: user.id, type: "oauth", provider: "github", providerAccountId });
  await kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  reads.count = 0;
  await kit.call("unlinkAccount", { provider: "github", providerAccountId });
  await kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  expect(reads.count).toBe(1);
});

test("the negative cache remembers a missing session but never hides one created afterwards", async () => {
  const negative = await trustedKit({ negativeTtlMs: 60_000 });
  const { user } = await signIn(negative.kit);
  const token = randomUUID();
  expect(await negative.kit.call("getSessionAndUser", { sessionToken: token })).toBeNull();
  expect(await negative.kit.call("getSessionAndUser", { sessionToken: token })).toBeNull();
  expect(negative.reads.count).toBe(1);
  await negative.kit.call("createSession", { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 3_600_000) });
  expect(await negative.kit.call("getSessionAndUser", { sessionToken: token })).toMatchObject({ session: { sessionToken: token }, user: { id: user.id } });
});

test("a lookup that started before a sign-out and finished after it does not put the session back", async () => {
  // A plugin inside the cache holds the store's answer until the sign-out has completed.
  const slow = await trustedKit();
  const { session } = await signIn(slow.kit);
  const { holding, release } = holdStoreAnswers(slow.kit);
  const early = slow.kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  await holding;
  await slow.kit.call("deleteSession", { sessionToken: session.sessionToken });
  release();
  expect(await early).not.toBeNull(); // it read before the delete: a fair answer for a concurrent call
  expect(await slow.kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).toBeNull();
});
