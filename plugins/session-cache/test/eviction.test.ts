/**
 * The cache warns when its Redis evicts keys once full: real Redis servers of the test's own (the
 * machine's shared Redis is never reconfigured), one with an eviction policy and one without.
 */
import type Redis from "ioredis";
import { createTestDatabaseWithSchema } from "../../../test/support/schemaDatabase";
import type { TestDatabase } from "../../../test/support/database";
import { cachedKit, eventually, ready, redisClient, RedisServer, untilTrusted, type CachedKit } from "./support";

let db: TestDatabase;
const servers: RedisServer[] = [];
const clients: Redis[] = [];
const kits: CachedKit[] = [];
/** Calls through: the warning is still emitted; the spy only records it (jest's process does not relay "warning" events). */
let emitted: jest.SpyInstance;

beforeAll(async () => {
  db = await createTestDatabaseWithSchema();
  emitted = jest.spyOn(process, "emitWarning");
});

afterAll(async () => {
  emitted?.mockRestore();
  for (const { kit } of kits) await kit.close();
  for (const client of clients) client.disconnect();
  for (const server of servers) await server.stop();
  await db?.drop();
});

/** A kit whose cache trusts a new Redis server of this test, configured by `settings` first. */
async function kitOnOwnRedis(settings: Array<[string, string]>): Promise<void> {
  const server = await RedisServer.start();
  servers.push(server);
  const redis = redisClient(server.port);
  clients.push(redis);
  await ready(redis);
  for (const [name, value] of settings) await redis.config("SET", name, value);
  const made = cachedKit(db.url, { redis });
  kits.push(made);
  await untilTrusted(made);
}

const evictionWarnings = () =>
  emitted.mock.calls.filter(([, options]) => (options as { code?: string } | undefined)?.code === "NAK_REDIS_EVICTION").map(([message]) => String(message));

test("a Redis that never evicts (noeviction, or no maxmemory) gives no warning; one that evicts, one warning naming its policy", async () => {
  await kitOnOwnRedis([["maxmemory", "64mb"], ["maxmemory-policy", "noeviction"]]);
  await kitOnOwnRedis([["maxmemory", "0"], ["maxmemory-policy", "allkeys-lru"]]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(evictionWarnings()).toEqual([]);

  await kitOnOwnRedis([["maxmemory", "64mb"], ["maxmemory-policy", "volatile-lru"]]);
  await eventually("the eviction warning", () => evictionWarnings().length > 0);
  expect(evictionWarnings()).toHaveLength(1);
  expect(evictionWarnings()[0]).toMatch(/maxmemory-policy volatile-lru.*noeviction/);

  // Once per process.
  await kitOnOwnRedis([["maxmemory", "64mb"], ["maxmemory-policy", "allkeys-lfu"]]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(evictionWarnings()).toHaveLength(1);
});
