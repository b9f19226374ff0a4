/**
 * The soak's judge (soak/support/staleness.ts) for sessions signed in during a wave (campaign
 * `replicas`): a null read counts as a missed session only once the sign-in resolved and before
 * any sign-out began; a session read after its sign-out resolved counts as stale.
 */
import { judgeWave } from "../../soak/support/staleness";
import type { ReadLog, WaveSpec, WriteResult } from "../../soak/workers/protocol";

const wave: WaveSpec = {
  id: 0,
  startAt: 0,
  tokens: ["t0", "t1"],
  tokenUser: [0, 0],
  userIds: ["u0"],
  writes: [],
  readers: 1,
  traffic: "users",
  seeded: [true, false],
};

/** t1 is signed in, resolving at 100; signed out from 200, resolving at 210. */
const writes: WriteResult[] = [
  { op: { at: 90, kind: "createSession", target: 1, facade: "authjs", expires: 1 }, startedAt: 90, resolvedAt: 100, ok: true },
  { op: { at: 200, kind: "deleteSession", target: 1, facade: "authjs" }, startedAt: 200, resolvedAt: 210, ok: true },
];

function log(reads: Array<{ token: number; start: number; end: number; found: boolean }>): ReadLog {
  return {
    token: reads.map((r) => r.token),
    start: reads.map((r) => r.start),
    end: reads.map((r) => r.end),
    found: reads.map((r) => (r.found ? 1 : 0)),
    version: reads.map(() => -1),
    expires: reads.map(() => 2),
    kind: reads.map(() => 1),
  };
}

test("null before the sign-in resolved is no miss; after it, before the sign-out, it is", () => {
  const counts = judgeWave(wave, [log([
    { token: 1, start: 95, end: 101, found: false },
    { token: 1, start: 101, end: 102, found: false },
    { token: 1, start: 150, end: 205, found: false },
  ])], writes);
  expect(counts.liveSessionMissing).toBe(1);
  expect(counts.reads).toBe(3);
});

test("a session signed in during the wave and read after its sign-out resolved is stale", () => {
  const counts = judgeWave(wave, [log([
    { token: 1, start: 205, end: 212, found: true },
    { token: 1, start: 211, end: 213, found: true },
  ])], writes);
  expect(counts.deletedSessionServed).toBe(1);
});

test("a failed sign-in never makes a miss; a session signed in before the wave is judged from the start", () => {
  const failed: WriteResult[] = [{ ...writes[0]!, ok: false }];
  const counts = judgeWave(wave, [log([
    { token: 1, start: 150, end: 151, found: false },
    { token: 0, start: 1, end: 2, found: false },
  ])], failed);
  expect(counts.liveSessionMissing).toBe(1);
  expect(counts.examples.join()).toContain("token #0");
});
