/**
 * sessionCache on a Sentinel-managed Redis of the test's own (a master, a replica, one sentinel),
 * two kits as two app instances on one PostgreSQL database, each with its own ioredis client
 * through the `sentinels` option. Redis replicates asynchronously: a sign-out the master took just
 * before it died may never reach the replica the sentinel promotes, which then still holds the
 * signed-out session's cached value. The cache must not serve it.
 */
import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { sessionCache } from "../../plugins";
import { createAdapterKit, type AdapterKit } from "../../src";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { RedisSentinelSet, SENTINEL_MASTER_NAME } from "../support/redisCluster";

let db: TestDatabase;
let redisSet: RedisSentinelSet;
const opened: Array<{ kit: AdapterKit; redis: Redis }> = [];
const prefix = `nak:sentinel:${process.pid}:`;

interface Instance {
  kit: AdapterKit;
  results: string[];
}

function instance(): Instance {
  const redis = new Redis({ sentinels: redisSet.sentinels, name: SENTINEL_MASTER_NAME, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000 });
  const kit = createAdapterKit({
    database: db.url,
    plugins: [sessionCache({ redis, prefix, secret: "sentinel-test-secret-0123456789abcdef-0123", leaseMs: 1500, commandTimeoutMs: 300 })],
  });
  opened.push({ kit, redis });
  const results: string[] = [];
  kit.events.on("cache.request", (e) => results.push(e.result));
  return { kit, results };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until a lookup on `i` is no longer bypassed (its cache trusts Redis). */
const trusted = (i: Instance) =>
  until("the cache trusts Redis", async () => {
    await i.kit.call("getSessionAndUser", { sessionToken: randomUUID() });
    return i.results.at(-1) !== "bypass";
  });

async function signIn(kit: AdapterKit) {
  const user = await kit.call("createUser", { email: `${randomUUID()}@example.com`, emailVerified: null, name: "Ada" });
  const session = await kit.call("createSession", { sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + 3_600_000) });
  return { user, session };
}

beforeAll(async () => {
  [db, redisSet] = await Promise.all([createTestDatabase(), RedisSentinelSet.start({ replica: true })]);
  const setup = createAdapterKit({ database: db.url });
  await setup.synchronize();
  await setup.close();
}, 60_000);

afterAll(async () => {
  for (const { kit, redis } of opened) {
    await kit.close();
    redis.disconnect();
  }
  await redisSet?.destroy();
  await db?.drop();
});

test("a sign-out the dead master never replicated is not undone by the promoted replica's cached copy", async () => {
  const a = instance();
  const b = instance();
  await Promise.all([trusted(a), trusted(b)]);
  const signedOut = await signIn(a.kit);
  const kept = await signIn(a.kit);
  const token = { sessionToken: signedOut.session.sessionToken };
  const keptToken = { sessionToken: kept.session.sessionToken };
  for (const t of [token, keptToken]) await b.kit.call("getSessionAndUser", t);
  b.results.length = 0;
  expect(await b.kit.call("getSessionAndUser", token)).toMatchObject({ user: { id: signedOut.user.id } });
  expect(b.results).toEqual(["hit"]);
  await redisSet.replicated();
  const cachedValues = `${prefix}v:*`;
  expect(await redisSet.keys(redisSet.replica!, cachedValues)).toHaveLength(2);

  // The replica falls behind; the sign-out reaches the master alone, which then dies.
  await redisSet.cutReplica();
  try {
    await a.kit.call("deleteSession", token);
    expect(await b.kit.call("getSessionAndUser", token)).toBeNull();
    await redisSet.master.kill();
  } finally {
    redisSet.thaw();
  }
  await redisSet.promoted();
  // The promoted replica still holds the signed-out session's value: the case this test is about.
  expect(await redisSet.keys(redisSet.replica!, cachedValues)).toHaveLength(2);

  await Promise.all([trusted(a), trusted(b)]);
  for (const i of [b, a]) {
    i.results.length = 0;
    expect(await i.kit.call("getSessionAndUser", token)).toBeNull();
    expect(i.results).toEqual(["miss"]);
  }
  // Caching resumes on the new master (a late reconnect can refuse the first fill: a few lookups).
  await until("caching resumes", async () => {
    b.results.length = 0;
    await b.kit.call("getSessionAndUser", keptToken);
    await b.kit.call("getSessionAndUser", keptToken);
    return b.results.at(-1) === "hit";
  });
  expect(await a.kit.call("getSessionAndUser", keptToken)).toMatchObject({ user: { id: kept.user.id } });
  await a.kit.call("deleteSession", keptToken);
  expect(await b.kit.call("getSessionAndUser", keptToken)).toBeNull();
}, 90_000); // a failover: a second to mark the master down, more on a loaded machine
