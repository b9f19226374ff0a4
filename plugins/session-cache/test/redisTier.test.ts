/**
 * The Redis tier's race guard, against the real Redis: a value read from the database before an
 * invalidation must not be stored after it, whichever instance stores it. (Through the kits this
 * window is too narrow to hit on purpose, so the scripts are exercised directly.)
 */
import type Redis from "ioredis";
import { RedisTier } from "../RedisTier";
import { Seal } from "../seal";
import { deleteKeys, ready, redisClient, TEST_SECRET, uniquePrefix } from "./support";

let redis: Redis;
let tier: RedisTier;
let channel: string;
let prefix: string;

beforeAll(async () => {
  redis = redisClient();
  await ready(redis);
  prefix = uniquePrefix();
  channel = `${prefix}inv`;
  tier = new RedisTier(redis, new Seal(TEST_SECRET), prefix, 1000, 60_000);
});

afterAll(async () => {
  if (redis) await deleteKeys(redis, prefix);
  redis?.disconnect();
});

const EXPIRES = Date.now() + 3_600_000;
const json = (userId: string) => JSON.stringify({ session: { userId, expires: { $date: EXPIRES } }, user: { id: userId } });

test("a fill with nothing invalidated in between is stored, with a TTL no longer than asked", async () => {
  const before = await tier.read("t1");
  expect(before.json).toBeNull();
  expect(await tier.fill("t1", "u1", before, json("u1"), 5000, 5000)).toBe(true);
  const after = await tier.read("t1");
  expect(after.json).toBe(json("u1"));
  expect(after.pttl).toBeGreaterThan(0);
  expect(after.pttl).toBeLessThanOrEqual(5000);
});

test("a fill is refused when the token was invalidated after the reader's read", async () => {
  const read = await tier.read("t2");
  await tier.invalidate(["t2"], [], channel, "{}");
  expect(await tier.fill("t2", "u2", read, json("u2"), 5000, 5000)).toBe(false);
  expect((await tier.read("t2")).json).toBeNull();
});

test("a fill is refused when the user was invalidated after the reader's read", async () => {
  const read = await tier.read("t3");
  await tier.invalidate([], ["u3"], channel, "{}");
  expect(await tier.fill("t3", "u3", read, json("u3"), 5000, 5000)).toBe(false);
  expect((await tier.read("t3")).json).toBeNull();
});

test("a fill is refused after the epoch moved (an instance recovered from losing Redis)", async () => {
  const read = await tier.read("t4");
  await tier.bumpEpoch();
  expect(await tier.fill("t4", "u4", read, json("u4"), 5000, 5000)).toBe(false);
  expect((await tier.read("t4")).json).toBeNull();
});

test("a value stored before the epoch moved is no longer found", async () => {
  const read = await tier.read("t5");
  expect(await tier.fill("t5", "u5", read, json("u5"), 5000, 5000)).toBe(true);
  await tier.bumpEpoch();
  expect((await tier.read("t5")).json).toBeNull();
});

test("invalidating a user deletes every value cached for that user, and only those", async () => {
  for (const [token, user] of [["t6", "u6"], ["t7", "u6"], ["t8", "u8"]] as const) {
    expect(await tier.fill(token, user, await tier.read(token), json(user), 5000, 5000)).toBe(true);
  }
  await tier.invalidate([], ["u6"], channel, "{}");
  expect((await tier.read("t6")).json).toBeNull();
  expect((await tier.read("t7")).json).toBeNull();
  expect((await tier.read("t8")).json).toBe(json("u8"));
});

test("an instance with a shorter ttlMs does not cut the user's index short: the user's longer-lived values still go", async () => {
  // Instance X caches for 5 s, then instance Y (ttlMs 300) caches another session of the same user.
  expect(await tier.fill("t10", "u10", await tier.read("t10"), json("u10"), 5000, 5000)).toBe(true);
  expect(await tier.fill("t11", "u10", await tier.read("t11"), json("u10"), 300, 300)).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await tier.invalidate([], ["u10"], channel, "{}");
  expect((await tier.read("t10")).json).toBeNull();
});

test("a held token or user is not stored even by a fill whose read began after the invalidation; without a hold it is", async () => {
  await tier.invalidate(["t12"], [], channel, "{}", true);
  expect(await tier.fill("t12", "u12", await tier.read("t12"), json("u12"), 5000, 5000)).toBe(false);
  await tier.invalidate([], ["u13"], channel, "{}", true);
  expect(await tier.fill("t13", "u13", await tier.read("t13"), json("u13"), 5000, 5000)).toBe(false);
  expect((await tier.read("t13")).json).toBeNull();
  await tier.invalidate(["t14"], ["u14"], channel, "{}");
  expect(await tier.fill("t14", "u14", await tier.read("t14"), json("u14"), 5000, 5000)).toBe(true);
});

test("an invalidation reports how many subscribers got its message", async () => {
  const listener = redis.duplicate();
  try {
    await ready(listener);
    await listener.subscribe(channel);
    expect(await tier.invalidate(["t9"], [], channel, "{}")).toBe(1);
  } finally {
    listener.disconnect();
  }
});
