/**
 * The replica fence's creation floors per lookup key (missBuckets): a creation that names its keys
 * holds back only misses in their buckets; one that names none, or names a bucket that is not one,
 * holds back every miss; a miss whose key is unknown needs every creation.
 */
import { ReplicaFence } from "../../src/persistence/mikro-orm/replicas/ReplicaFence";
import { MISS_BUCKETS, missBucket } from "../../src/persistence/mikro-orm/replicas/missBuckets";

const keyIn = (other: number) => {
  for (let i = 0; ; i++) if (missBucket(`key-${i}`) !== other) return `key-${i}`;
};

test("a keyed creation holds back misses in its bucket only", () => {
  const fence = new ReplicaFence();
  const created = "h1:created-token";
  const bucket = missBucket(created);
  const other = missBucket(keyIn(bucket));
  fence.note(["u1"], 100n, true, [bucket]);
  expect(fence.missFloor(bucket)).toBe(100n);
  expect(fence.missFloor(other)).toBe(0n);
  // A miss whose key is not known needs every creation.
  expect(fence.missFloor()).toBe(100n);
});

test("a creation without keys, or with a bucket out of range, holds back every miss", () => {
  for (const buckets of [undefined, [], [MISS_BUCKETS], [-1], [1.5], [3, Number.NaN]]) {
    const fence = new ReplicaFence();
    fence.note(["u1"], 50n, true, buckets as number[] | undefined);
    expect({ buckets, floor: fence.missFloor(7) }).toEqual({ buckets, floor: 50n });
  }
});

test("the floor still counts; later creations only raise a bucket", () => {
  const fence = new ReplicaFence();
  fence.note(["u1"], 200n, true, [5]);
  fence.note(["u2"], 150n, true, [5]);
  expect(fence.missFloor(5)).toBe(200n);
  fence.prune(300n);
  expect(fence.missFloor(5)).toBe(300n);
  expect(fence.missFloor(6)).toBe(300n);
  // A write that created nothing raises no miss floor.
  fence.note(["u3"], 400n);
  expect(fence.missFloor(5)).toBe(300n);
});

test("buckets are 12-bit numbers, the same for the same key", () => {
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const b = missBucket(`token-${i}`);
    expect(Number.isInteger(b) && b >= 0 && b < MISS_BUCKETS).toBe(true);
    seen.add(b);
  }
  expect(missBucket("token-1")).toBe(missBucket("token-1"));
  // Spread over the buckets (2000 keys in 4096 buckets: well over a thousand distinct).
  expect(seen.size).toBeGreaterThan(1000);
});
