/**
 * The Redis tier is authenticated: someone who can write to Redis cannot sign in as anyone.
 * Forged and moved entries are written straight into the local Redis; forged heartbeats are
 * published to an instance's own channel. Real PostgreSQL, real Redis.
 */
import { randomUUID } from "node:crypto";
import Redis, { Cluster } from "ioredis";
import type { TestDatabase } from "../../../test/support/database";
import { createTestDatabaseWithSchema } from "../../../test/support/schemaDatabase";
import { metrics } from "../../metrics";
import { sessionCache } from "..";
import { tokenId } from "../keys";
import { Seal } from "../seal";
import { cachedKit, deleteKeys, eventually, FreezingProxy, ready, redisClient, REDIS_PORT, signIn, TEST_SECRET, uniquePrefix, untilTrusted, type CachedKit } from "./support";

let db: TestDatabase;
let redis: Redis;
let prefix: string;
const kits: CachedKit[] = [];
const clients: Redis[] = [];
const proxies: FreezingProxy[] = [];
const prefixes: string[] = [];

async function trustedKit(client = redis, options: Parameters<typeof cachedKit>[1] = {}): Promise<CachedKit> {
  const made = cachedKit(db.url, { redis: client, prefix, ...options });
  kits.push(made);
  return untilTrusted(made);
}

beforeAll(async () => {
  db = await createTestDatabaseWithSchema();
  redis = redisClient();
  await ready(redis);
  prefix = uniquePrefix();
  prefixes.push(prefix);
});

afterAll(async () => {
  for (const { kit } of kits) await kit.close();
  for (const client of clients) client.disconnect();
  for (const proxy of proxies) await proxy.stop();
  for (const p of prefixes) if (redis) await deleteKeys(redis, p);
  redis?.disconnect();
  await db?.drop();
});

/** The Redis key a token's cached value lives under (the current epoch). */
async function valueKey(sessionToken: string): Promise<string> {
  const epoch = (await redis.get(`${prefix}epoch`)) ?? "0";
  return `${prefix}v:${epoch}:${tokenId(sessionToken)}`;
}

const lookup = (on: CachedKit, sessionToken: string) => on.kit.call("getSessionAndUser", { sessionToken });

test("what the cache sends to Redis and stores there is encrypted: no session token, e-mail or name, not even in MONITOR", async () => {
  const a = await trustedKit();
  const { user, session } = await signIn(a.kit);
  // MONITOR shows every command with its arguments, as SLOWLOG and a tracer of EVALSHA would.
  const monitor = await redis.monitor();
  const commands: string[] = [];
  monitor.on("monitor", (_time: string, args: string[]) => void commands.push(args.join(" ")));
  try {
    await lookup(a, session.sessionToken);
    await eventually("MONITOR saw the fill", () => commands.some((command) => /^evalsha /i.test(command) && command.includes(user.id)));
  } finally {
    monitor.disconnect();
  }
  const stored = (await redis.get(await valueKey(session.sessionToken)))!;
  expect(stored).toMatch(/^v2\.[A-Za-z0-9_-]+$/);
  for (const seen of [stored, ...commands]) {
    for (const value of [session.sessionToken, user.email, user.name!]) expect(seen).not.toContain(value);
  }
  expect((await lookup(a, session.sessionToken))?.user.email).toBe(user.email);
});

test("an entry an instance of the previous version wrote (MAC only, same secret) is still served", async () => {
  const a = await trustedKit();
  const { user, session } = await signIn(a.kit);
  const json = JSON.stringify({ session: { userId: user.id, expires: { $date: session.expires.getTime() } }, user: { ...user, name: "From v1" } });
  await redis.set(await valueKey(session.sessionToken), new Seal(TEST_SECRET).seal(tokenId(session.sessionToken), json), "PX", 60_000);
  const b = await trustedKit();
  expect((await lookup(b, session.sessionToken))?.user.name).toBe("From v1");
  expect(b.events).toEqual(["hit"]);
});

test("a forged entry written straight into Redis is not served: the database answers and the lookup counts as rejected", async () => {
  const a = await trustedKit();
  const metricsPlugin = metrics();
  a.kit.use(metricsPlugin);
  const victim = await signIn(a.kit);
  const attacker = await signIn(a.kit);
  await lookup(a, victim.session.sessionToken); // the victim's value is now cached, sealed
  const victimValue = (await redis.get(await valueKey(victim.session.sessionToken)))!;
  const forgedJson = JSON.stringify({ session: { userId: victim.user.id, expires: { $date: Date.now() + 3_600_000 } }, user: victim.user });
  const wrongSecret = new Seal("a-secret-the-attacker-made-up-0123456789");
  const flipped = (value: string, at: number) => value.slice(0, at) + (value[at] === "A" ? "B" : "A") + value.slice(at + 1);
  const attempts = [
    forgedJson, // no MAC at all
    wrongSecret.seal(tokenId(attacker.session.sessionToken), forgedJson), // the wrong key, MAC only
    wrongSecret.encrypt(tokenId(attacker.session.sessionToken), forgedJson), // the wrong key, encrypted
    victimValue, // a genuine entry moved to the attacker's token
    flipped(victimValue, 20), // a genuine entry altered
  ];
  for (const forged of attempts) {
    // A second instance, whose in-process tier has never seen the attacker's token.
    const b = await trustedKit();
    await redis.set(await valueKey(attacker.session.sessionToken), forged, "PX", 60_000);
    const answer = await lookup(b, attacker.session.sessionToken);
    expect(answer?.user.id).toBe(attacker.user.id);
    expect(b.events).toEqual(["rejected"]);
    expect(b.reads.count).toBe(1);
    expect(b.cache.stats().rejected).toBe(1);
  }
  // The same counts reach the metrics plugin, on the instance it is on.
  await redis.set(await valueKey(attacker.session.sessionToken), forgedJson, "PX", 60_000);
  expect((await lookup(a, attacker.session.sessionToken))?.user.id).toBe(attacker.user.id);
  expect(await metricsPlugin.registry.metrics()).toMatch(/auth_adapter_session_cache_requests_total\{result="rejected"\} 1/);
});

test("forged heartbeats (unsigned, not finite, or from the future) never keep a silent subscription trusted", async () => {
  const proxy = new FreezingProxy(REDIS_PORT);
  proxies.push(proxy);
  await proxy.start();
  const client = redisClient(proxy.port);
  clients.push(client);
  await ready(client);
  const own = uniquePrefix(); // a channel of its own: one subscriber on it
  prefixes.push(own);
  const a = await trustedKit(client, { prefix: own, leaseMs: 600, heartbeatMs: 150, commandTimeoutMs: 300 });
  const channels = (await redis.pubsub("CHANNELS", `${own}inv:ack:*`)) as string[];
  expect(channels).toHaveLength(1);
  const ackChannel = channels[0]!;
  const seal = new Seal(TEST_SECRET);
  const farFuture = String(performance.now() + 1e12);
  for (const forged of [`h:${farFuture}`, `h:${seal.seal(ackChannel, "Infinity")}`, `h:${seal.seal(ackChannel, farFuture)}`]) {
    expect(await redis.publish(ackChannel, forged)).toBe(1);
  }
  // An invalidation round trip: every message published before it has reached the subscriber.
  await a.cache.invalidateSession(randomUUID());
  proxy.freeze("subscribers");
  const { session } = await signIn(a.kit);
  await eventually("the silent subscription stops being trusted", async () => {
    await lookup(a, session.sessionToken);
    return a.events.at(-1) === "bypass";
  });
  proxy.thaw();
});

test("configuration: a Redis client needs a secret of at least 32 bytes; on a Cluster the channel must share the keys' hash tag", () => {
  const configError = expect.objectContaining({ code: "CONFIGURATION" });
  expect(() => sessionCache({ redis })).toThrow(configError);
  expect(() => sessionCache({ redis, secret: "too-short" })).toThrow(configError);
  expect(() => sessionCache({ redis, secret: Buffer.alloc(16, 1) })).toThrow(configError);
  expect(() => sessionCache({ redis, secret: "too-short" })).not.toThrow(/too-short/);
  const cluster = new Cluster([{ host: "127.0.0.1", port: REDIS_PORT }], { lazyConnect: true });
  try {
    expect(() => sessionCache({ redis: cluster as never, secret: TEST_SECRET })).not.toThrow();
    expect(() => sessionCache({ redis: cluster as never, secret: TEST_SECRET, channel: "untagged:inv" })).toThrow(configError);
    expect(() => sessionCache({ redis: cluster })).toThrow(configError);
  } finally {
    cluster.disconnect();
  }
  // Without Redis nothing leaves the process, so no secret is needed.
  expect(() => sessionCache({ ttlMs: 1000 })).not.toThrow();
});
