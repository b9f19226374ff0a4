/**
 * Redis goes away mid-test: a redis-server of the test's own, on a free port, killed (SIGKILL, like
 * a crash) and started again on the same port. Instances share it and one PostgreSQL database.
 * A short lease and short timeouts keep the test quick; the defaults behave the same, slower.
 */
import type Redis from "ioredis";
import type { TestDatabase } from "../../../test/support/database";
import { createTestDatabaseWithSchema } from "../../../test/support/schemaDatabase";
import { cachedKit, eventually, freePort, FreezingProxy, ready, redisClient, RedisServer, signIn, untilTrusted, type CachedKit } from "./support";

const FAST = { leaseMs: 1000, heartbeatMs: 250, commandTimeoutMs: 300 };

let db: TestDatabase;
let server: RedisServer;
const clients: Redis[] = [];
const kits: CachedKit[] = [];
const proxies: FreezingProxy[] = [];

async function instance(port = server.port): Promise<CachedKit> {
  const redis = redisClient(port);
  clients.push(redis);
  await ready(redis);
  const made = cachedKit(db.url, { redis, prefix: "nak:outage:", ...FAST });
  kits.push(made);
  return untilTrusted(made);
}

/** Waits until `on` answers a lookup of `sessionToken` from its cache (again). */
function cachedOn(on: CachedKit, sessionToken: string): Promise<void> {
  return eventually("the cache answers", async () => {
    await on.kit.call("getSessionAndUser", { sessionToken });
    await on.kit.call("getSessionAndUser", { sessionToken });
    return on.events.at(-1) === "hit";
  });
}

const lookup = (on: CachedKit, sessionToken: string) => on.kit.call("getSessionAndUser", { sessionToken });

beforeAll(async () => {
  db = await createTestDatabaseWithSchema();
  server = new RedisServer(await freePort());
  await server.start();
});

afterAll(async () => {
  for (const { kit } of kits) await kit.close();
  for (const client of clients) client.disconnect();
  for (const proxy of proxies) await proxy.stop();
  await server?.stop();
  await db?.drop();
});

test("while Redis is down a sign-out on A is never served by B, sign-in and sign-out work; afterwards caching resumes", async () => {
  const [a, b] = [await instance(), await instance()];
  const signedOut = await signIn(a.kit);
  const stays = await signIn(a.kit);
  await cachedOn(b, signedOut.session.sessionToken);
  await cachedOn(b, stays.session.sessionToken);

  await server.stop();

  // Sign-out on A at once: A cannot tell anyone, yet B (which had the session cached) must not serve it.
  await a.kit.call("deleteSession", { sessionToken: signedOut.session.sessionToken });
  expect(await lookup(b, signedOut.session.sessionToken)).toBeNull();
  expect(b.events.at(-1)).toBe("bypass");
  // B still answers from the database.
  expect(await lookup(b, stays.session.sessionToken)).toMatchObject({ session: { sessionToken: stays.session.sessionToken } });
  expect(b.events.at(-1)).toBe("bypass");
  // Sign-in works, and the other instance finds the new session.
  const signedInDuringOutage = await signIn(a.kit);
  expect(await lookup(b, signedInDuringOutage.session.sessionToken)).not.toBeNull();

  await server.start();

  await cachedOn(b, stays.session.sessionToken);
  await cachedOn(a, stays.session.sessionToken);
  const { hits } = b.cache.stats();
  expect(await lookup(b, stays.session.sessionToken)).not.toBeNull();
  expect(b.cache.stats().hits).toBe(hits + 1);
  expect(await lookup(b, signedOut.session.sessionToken)).toBeNull();
  // The channel works again: a sign-out on A is seen by B right after.
  await cachedOn(b, signedInDuringOutage.session.sessionToken);
  await a.kit.call("deleteSession", { sessionToken: signedInDuringOutage.session.sessionToken });
  expect(await lookup(b, signedInDuringOutage.session.sessionToken)).toBeNull();
});

test("an instance that signed a session out during the outage and is gone before Redis returns: nobody serves the session afterwards", async () => {
  const [b, c] = [await instance(), await instance()];
  const { session } = await signIn(c.kit);
  await cachedOn(b, session.sessionToken);

  await server.stop();
  await c.kit.call("deleteSession", { sessionToken: session.sessionToken });
  await c.kit.close();
  expect(await lookup(b, session.sessionToken)).toBeNull();
  await server.start();

  // Nobody is left to replay C's sign-out: B must have thrown away what it cached before the outage.
  const other = await signIn(b.kit);
  await cachedOn(b, other.session.sessionToken);
  expect(await lookup(b, session.sessionToken)).toBeNull();
  expect(await lookup(b, session.sessionToken)).toBeNull();
});

test("Redis goes silent without any connection closing: B stops serving before A's sign-out returns", async () => {
  // Every connection goes through one proxy that freezes: nobody sees a disconnect, only silence.
  const proxy = new FreezingProxy(server.port);
  proxies.push(proxy);
  await proxy.start();
  const [a, b] = [await instance(proxy.port), await instance(proxy.port)];
  const { session } = await signIn(a.kit);
  await cachedOn(b, session.sessionToken);

  proxy.freeze();
  // A's invalidation times out; it returns only once B's lease (renewed by heartbeats that no
  // longer come back) has run out.
  await a.kit.call("deleteSession", { sessionToken: session.sessionToken });
  expect(await lookup(b, session.sessionToken)).toBeNull();
  expect(b.events.at(-1)).toBe("bypass");

  proxy.thaw();
  const other = await signIn(a.kit);
  await cachedOn(b, other.session.sessionToken);
  expect(await lookup(b, session.sessionToken)).toBeNull();
});

test("only the subscriber connections go silent while commands still work: the lease stops B serving before A's sign-out returns", async () => {
  const proxy = new FreezingProxy(server.port);
  proxies.push(proxy);
  await proxy.start();
  const [a, b] = [await instance(proxy.port), await instance(proxy.port)];
  const { session } = await signIn(a.kit);
  await cachedOn(b, session.sessionToken);

  proxy.freeze("subscribers");
  // A's invalidation reaches Redis, but no subscriber confirms it; B's heartbeats are published
  // fine yet never come back, so its lease runs out before A stops waiting.
  await a.kit.call("deleteSession", { sessionToken: session.sessionToken });
  expect(await lookup(b, session.sessionToken)).toBeNull();
  expect(b.events.at(-1)).toBe("bypass");

  proxy.thaw();
  const other = await signIn(a.kit);
  await cachedOn(b, other.session.sessionToken);
  expect(await lookup(b, session.sessionToken)).toBeNull();
});
