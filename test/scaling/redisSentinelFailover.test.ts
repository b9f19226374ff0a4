/**
 * sessionCache on a Sentinel-managed Redis of the test's own (a master, a replica, one sentinel),
 * two kits as two app instances on one PostgreSQL database, each with its own ioredis client
 * through the `sentinels` option. Redis replicates asynchronously: a sign-out the master took just
 * before it died may never reach the replica the sentinel promotes, which then still holds the
 * signed-out session's cached value. The cache must not serve it.
 */
import Redis from "ioredis";
import { sessionCache } from "../../plugins";
import { createAdapterKit, type AdapterKit } from "../../src";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { expectSafeAfterFailover, twoCachedSessions, signIn, trusted, type CacheInstance } from "../support/cacheInstances";
import { RedisSentinelSet, SENTINEL_MASTER_NAME } from "../support/redisCluster";

let db: TestDatabase;
let redisSet: RedisSentinelSet;
const opened: Array<{ kit: AdapterKit; redis: Redis }> = [];
const prefix = `nak:sentinel:${process.pid}:`;

function instance(): CacheInstance {
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
  const { token, keptToken } = await twoCachedSessions(a, b);
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

  await expectSafeAfterFailover(a, b, token, keptToken);
}, 90_000); // a failover: a second to mark the master down, more on a loaded machine
