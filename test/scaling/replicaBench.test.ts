/**
 * The bench's replicas section (bench/sections/replicas.ts) at a tiny size: it starts and removes its
 * own primary and replica, the kit with the replica reads quiet sessions from the replica, and
 * every figure it reports is a number. Timings are not asserted (speed lives in the bench).
 */
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { measureReplicas } from "../../bench/sections/replicas";
import { replicasTable } from "../../bench/sections/replicasReport";

const folders = () => readdirSync(tmpdir()).filter((name) => name.startsWith("kit-pgreplica-"));

test("measures both kits, reads on the replica, and leaves no server behind", async () => {
  const before = new Set(folders());
  const result = await measureReplicas(200, 40, 10, 2, Number.POSITIVE_INFINITY, () => undefined);
  // Quiet sessions: the replica answers (all of them unless a poll ran late on a loaded machine).
  expect(result.replicaReadShare).toBeGreaterThan(0.5);
  expect(Object.values(result.readRoutes).reduce((a, b) => a + b, 0)).toBe(80);
  for (const part of [result.read, result.write]) {
    expect(part.rounds).toBe(2);
    for (const value of [part.primaryOnly.p50Us, part.withReplica.p50Us, part.addedP50Us, part.p50Ratio]) expect(Number.isFinite(value)).toBe(true);
  }
  expect(replicasTable(result)).toContain("replica read share");
  expect(folders().filter((name) => !before.has(name) && existsSync(`${tmpdir()}/${name}`))).toEqual([]);
}, 120_000);
