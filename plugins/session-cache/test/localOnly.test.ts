/** The in-process tier alone (no `redis`), on a real PostgreSQL. */
import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database";
import { cachedKit, eventually, signIn, type CachedKit, holdStoreAnswers } from "./support";

let db: TestDatabase;
const kits: CachedKit[] = [];

function localKit(options: Parameters<typeof cachedKit>[1] = {}): CachedKit {
  const made = cachedKit(db.url, options);
  kits.push(made);
  return made;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await localKit().kit.synchronize();
});

afterAll(async () => {
  for (const { kit } of kits) await kit.close();
  await db?.drop();
});

test("hits from the first lookup on, never a bypass, and concurrent misses share one query", async () => {
  const { kit, reads, cache } = localKit();
  const { session, user } = await signIn(kit);
  const results = await Promise.all(Array.from({ length: 10 }, () => kit.call("getSessionAndUser", { sessionToken: session.sessionToken })));
  expect(await kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).toEqual({ session, user });
  expect(reads.count).toBe(1);
  for (const result of results) expect(result).toEqual({ session, user });
  expect(cache.stats()).toMatchObject({ hits: 1, misses: 10, bypasses: 0, size: 1 });
});

test("max bounds the in-process tier", async () => {
  const { kit, cache } = localKit({ max: 3 });
  for (let i = 0; i < 5; i++) {
    const { session } = await signIn(kit);
    await kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  }
  expect(cache.stats().size).toBe(3);
});

test("a lookup that started before a sign-out and finished after it does not put the session back", async () => {
  const { kit } = localKit();
  const { session } = await signIn(kit);
  const { holding, release } = holdStoreAnswers(kit);
  const early = kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  await holding;
  await kit.call("deleteSession", { sessionToken: session.sessionToken });
  release();
  await early;
  expect(await kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).toBeNull();
});

test("a lookup that joins another already in flight after a sign-out does not get the signed-out session", async () => {
  const { kit, reads } = localKit();
  const { session } = await signIn(kit);
  const { holding, release } = holdStoreAnswers(kit);
  const early = kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  await holding;
  await kit.call("deleteSession", { sessionToken: session.sessionToken });
  const late = kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  release();
  await early;
  expect(await late).toBeNull();
  expect(reads.count).toBe(2);
});

test("without Redis the cache is per instance: another instance serves its entry until ttlMs, never longer", async () => {
  const a = localKit({ ttlMs: 500 });
  const b = localKit({ ttlMs: 500 });
  const { session } = await signIn(a.kit);
  await b.kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  await a.kit.call("deleteSession", { sessionToken: session.sessionToken });
  // This is why multi-instance deployments need the `redis` option (README): B has not heard of it.
  expect(await b.kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).not.toBeNull();
  await eventually("B's entry expires", async () => (await b.kit.call("getSessionAndUser", { sessionToken: session.sessionToken })) === null);
});

test("a negative entry is dropped by createSession for that token", async () => {
  const { kit, reads } = localKit({ negativeTtlMs: 60_000 });
  const { user } = await signIn(kit);
  const token = randomUUID();
  expect(await kit.call("getSessionAndUser", { sessionToken: token })).toBeNull();
  expect(await kit.call("getSessionAndUser", { sessionToken: token })).toBeNull();
  expect(reads.count).toBe(1);
  await kit.call("createSession", { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 3_600_000) });
  expect(await kit.call("getSessionAndUser", { sessionToken: token })).not.toBeNull();
});
