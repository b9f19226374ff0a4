/**
 * sessionCache on a real Redis Cluster of three masters of the test's own (redis-server
 * --cluster-enabled yes, redis-cli --cluster create): two kits as two app instances, each with its
 * own Cluster client, on one PostgreSQL database.
 */
import { Cluster } from "ioredis";
import { sessionCache, type SessionCachePlugin } from "../../plugins";
import { createAdapterKit, type AdapterKit } from "../../src";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { expectSafeAfterFailover, twoCachedSessions, signIn as signInAs, trusted, until, type CacheInstance } from "../support/cacheInstances";
import { RedisClusterSet } from "../support/redisCluster";

let db: TestDatabase;
let cluster: RedisClusterSet;
const opened: Array<{ kit: AdapterKit; redis: Cluster }> = [];
const prefix = `nak:cluster:${process.pid}:`;

interface Instance extends CacheInstance {
  cache: SessionCachePlugin;
}

function clusterClient(): Cluster {
  return new Cluster(cluster.nodes, {
    enableOfflineQueue: false,
    clusterRetryStrategy: () => 100,
    redisOptions: { maxRetriesPerRequest: 1, connectTimeout: 1000 },
  });
}

function instance(): Instance {
  const redis = clusterClient();
  const cache = sessionCache({ redis, prefix, secret: "cluster-test-secret-0123456789abcdef-0123", leaseMs: 1500, commandTimeoutMs: 300 });
  const kit = createAdapterKit({ database: db.url, plugins: [cache] });
  opened.push({ kit, redis });
  const results: string[] = [];
  kit.events.on("cache.request", (e) => results.push(e.result));
  return { kit, cache, results };
}

const signIn = (kit: AdapterKit) => signInAs(kit, "Before");

beforeAll(async () => {
  [db, cluster] = await Promise.all([createTestDatabase(), RedisClusterSet.start()]);
  const setup = createAdapterKit({ database: db.url });
  await setup.synchronize();
  await setup.close();
}, 60_000);

afterAll(async () => {
  for (const { kit, redis } of opened) {
    await kit.close();
    redis.disconnect();
  }
  await cluster?.destroy();
  await db?.drop();
});

test("on a cluster, sessions are cached and a sign-out or a user update on one instance is seen at once on the other", async () => {
  const a = instance();
  const b = instance();
  await Promise.all([trusted(a), trusted(b)]);

  const { user, session } = await signIn(a.kit);
  const token = { sessionToken: session.sessionToken };
  expect(await b.kit.call("getSessionAndUser", token)).toMatchObject({ user: { name: "Before" } });
  b.results.length = 0;
  expect(await b.kit.call("getSessionAndUser", token)).toMatchObject({ user: { name: "Before" } });
  expect(b.results).toEqual(["hit"]);
  // Cached in the cluster too: a's first lookup is answered from Redis.
  a.results.length = 0;
  await a.kit.call("getSessionAndUser", token);
  expect(a.results).toEqual(["hit"]);

  await a.kit.call("updateUser", { id: user.id, name: "After" });
  expect(await b.kit.call("getSessionAndUser", token)).toMatchObject({ user: { name: "After" } });

  await a.kit.call("deleteSession", token);
  expect(await b.kit.call("getSessionAndUser", token)).toBeNull();
  expect(await a.kit.call("getSessionAndUser", token)).toBeNull();
});

test("a cluster master killed: every lookup bypasses, a sign-out during the outage is never undone, caching resumes after", async () => {
  const a = instance();
  const b = instance();
  await Promise.all([trusted(a), trusted(b)]);
  const { session } = await signIn(a.kit);
  const kept = await signIn(a.kit);
  const token = { sessionToken: session.sessionToken };
  await b.kit.call("getSessionAndUser", token);
  await b.kit.call("getSessionAndUser", { sessionToken: kept.session.sessionToken });
  b.results.length = 0;
  expect(await b.kit.call("getSessionAndUser", token)).not.toBeNull();
  expect(b.results).toEqual(["hit"]);

  const master = await cluster.masterFor(`{${prefix}}seq`);
  await cluster.killMaster(master);
  await until("b bypasses", async () => {
    await b.kit.call("getSessionAndUser", token);
    return b.results.at(-1) === "bypass";
  });
  // Signed out while the cache's master is down: the write succeeds, and nobody serves the session.
  await a.kit.call("deleteSession", token);
  expect(await b.kit.call("getSessionAndUser", token)).toBeNull();
  expect(await b.kit.call("getSessionAndUser", { sessionToken: kept.session.sessionToken })).toMatchObject({ session: { userId: kept.user.id } });

  await cluster.restartMaster(master);
  await Promise.all([trusted(a), trusted(b)]);
  expect(await b.kit.call("getSessionAndUser", token)).toBeNull();
  expect(await a.kit.call("getSessionAndUser", token)).toBeNull();
  // A late node event after the restart can make either instance recover once more, and its new
  // epoch refuses a fill in flight: caching resumes within a few lookups, not always the first.
  await until("caching resumes", async () => {
    b.results.length = 0;
    await b.kit.call("getSessionAndUser", { sessionToken: kept.session.sessionToken });
    await b.kit.call("getSessionAndUser", { sessionToken: kept.session.sessionToken });
    return b.results.join() === "miss,hit" || b.results.join() === "hit,hit";
  });
  await a.kit.call("deleteSession", { sessionToken: kept.session.sessionToken });
  expect(await b.kit.call("getSessionAndUser", { sessionToken: kept.session.sessionToken })).toBeNull();
}, 90_000); // a kill and a restart: seconds alone, longer on a loaded machine

test("the cache's slot moved to another master: a sign-out on one instance right after is seen at once on the other", async () => {
  const a = instance();
  const b = instance();
  await Promise.all([trusted(a), trusted(b)]);
  const { session } = await signIn(a.kit);
  const token = { sessionToken: session.sessionToken };
  await b.kit.call("getSessionAndUser", token);
  b.results.length = 0;
  expect(await b.kit.call("getSessionAndUser", token)).not.toBeNull();
  expect(b.results).toEqual(["hit"]);

  const from = await cluster.masterFor(`{${prefix}}seq`);
  await cluster.moveSlotOf(`{${prefix}}seq`, cluster.masters.find((m) => m !== from && m.running)!);
  await a.kit.call("deleteSession", token);
  expect(await b.kit.call("getSessionAndUser", token)).toBeNull();
  expect(await a.kit.call("getSessionAndUser", token)).toBeNull();

  // Caching resumes on the new master.
  const later = await signIn(a.kit);
  await Promise.all([trusted(a), trusted(b)]);
  const next = { sessionToken: later.session.sessionToken };
  // As after a restart: a late node event can make an instance recover once more, and its new
  // epoch refuses a fill in flight, so caching resumes within a few lookups, not always the first.
  await until("caching resumes", async () => {
    b.results.length = 0;
    await b.kit.call("getSessionAndUser", next);
    await b.kit.call("getSessionAndUser", next);
    return b.results.join() === "miss,hit" || b.results.join() === "hit,hit";
  });
  await a.kit.call("deleteSession", next);
  expect(await b.kit.call("getSessionAndUser", next)).toBeNull();
}, 90_000);

test("a replica that missed a sign-out takes a dead master's slots over: its cached copy is never served, caching resumes", async () => {
  const master = await cluster.masterFor(`{${prefix}}seq`);
  const replica = await cluster.addReplica(master);
  const a = instance();
  const b = instance();
  const { token, keptToken } = await twoCachedSessions(a, b, "Before");
  const cachedValues = `{${prefix}}v:*`;
  await until("the replica holds both cached sessions", async () => (await cluster.keys(replica, cachedValues)).length === 2);

  // The replica falls behind; the sign-out reaches the master alone, which then dies.
  await cluster.cutReplica(master, replica);
  try {
    await a.kit.call("deleteSession", token);
    expect(await b.kit.call("getSessionAndUser", token)).toBeNull();
    await master.kill();
  } finally {
    replica.freeze(false);
  }
  await cluster.promoted(replica);
  // The new master still holds the signed-out session's value: the case this test is about.
  expect(await cluster.keys(replica, cachedValues)).toHaveLength(2);

  await expectSafeAfterFailover(a, b, token, keptToken);
}, 90_000);
