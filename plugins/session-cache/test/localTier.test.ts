/** The in-process tier's bookkeeping: the userId index follows the LRU, and expiry is checked on read. */
import { ABSENT, LocalTier } from "../LocalTier";

const entry = (userId: string, expiresInMs = 60_000) => ({ value: "{}", userId, expiresAt: Date.now() + expiresInMs });

test("an evicted entry leaves the user index, and deleteUser drops exactly that user's entries", () => {
  const tier = new LocalTier(3);
  tier.set("a", entry("u1"), 60_000);
  tier.set("b", entry("u1"), 60_000);
  tier.set("c", entry("u2"), 60_000);
  tier.set("d", entry("u2"), 60_000); // evicts "a", the least recently used
  expect(tier.get("a")).toBeUndefined();
  tier.deleteUser("u1");
  expect(tier.get("b")).toBeUndefined();
  expect(tier.get("c")).toBeDefined();
  expect(tier.get("d")).toBeDefined();
  tier.deleteUser("u2");
  expect(tier.size).toBe(0);
});

test("re-setting a token for another user moves it in the index", () => {
  const tier = new LocalTier(10);
  tier.set("a", entry("u1"), 60_000);
  tier.set("a", entry("u2"), 60_000);
  tier.deleteUser("u1");
  expect(tier.get("a")).toBeDefined();
  tier.deleteUser("u2");
  expect(tier.get("a")).toBeUndefined();
});

test("an entry is not served at or after its session's expires, whatever its TTL", () => {
  const tier = new LocalTier(10);
  tier.set("a", entry("u1", -1), 60_000);
  expect(tier.get("a")).toBeUndefined();
  expect(tier.size).toBe(0);
});

test("negative entries are not indexed by user and expire by their TTL", async () => {
  const tier = new LocalTier(10);
  tier.set("n", ABSENT, 20);
  expect(tier.get("n")).toBe(ABSENT);
  await new Promise((resolve) => setTimeout(resolve, 40));
  expect(tier.get("n")).toBeUndefined();
});

test("a session entry is not served after its TTL, though its session lasts longer", async () => {
  const tier = new LocalTier(10);
  tier.set("a", entry("u1", 60_000), 20);
  expect(tier.get("a")).toBeDefined();
  await new Promise((resolve) => setTimeout(resolve, 40));
  expect(tier.get("a")).toBeUndefined();
  // Dropped, and out of the user index with it.
  expect(tier.size).toBe(0);
  tier.set("b", entry("u1"), 60_000);
  tier.deleteUser("u1");
  expect(tier.size).toBe(0);
});
