/**
 * Campaign 3, cache coherence across instances: two app instances in separate processes
 * (soak/workers/cacheWorker.ts), each a kit with `sessionCache({ redis })`, on one PostgreSQL
 * database and one Redis (a redis-server of the soak's own). In each wave both hammer
 * getSessionAndUser (a quarter through the v3 getSession) while each performs its share of writes:
 * renames, expiry updates, sign-outs and user deletions. No read that starts after a write
 * resolved (on the shared clock) may return what the write removed or replaced.
 *
 * The last wave kills Redis mid-run (SIGKILL), starts it again on the same port, and waits until
 * the hit rate recovers.
 */
import { createAdapterKit, type AdapterKit } from "../../src";
import { check, info, loss, target } from "../report";
import { sharedNow } from "../support/clock";
import { pool } from "../support/concurrency";
import type { Campaign } from "../support/context";
import { RedisServer } from "../support/redisServer";
import { sleep } from "../support/settle";
import { judgeWave, staleServed, type StaleCounts } from "../support/staleness";
import { WorkerProcess } from "../support/workerProcess";
import type { WaveSpec, WriteOp, WriteResult } from "../workers/protocol";

/** The cache's timing options in force (its defaults), for the report's timeout list. */
export const CACHE_TIMEOUTS = { sessionCacheCommandTimeoutMs: 500, sessionCacheLeaseMs: 3000, sessionCacheAckTimeoutMs: 3500 };

const READERS_PER_WORKER = 4;
/** Longest wait for the hit rate to come back after Redis restarts. */
const RECOVERY_LIMIT_MS = 30_000;
const POLL_MS = 250;

export interface Stats {
  hits: number;
  misses: number;
  bypasses: number;
}

export const cacheCoherence: Campaign = async (ctx) => {
  const db = await ctx.databases.create("cache");
  const seeder = createAdapterKit({ database: db.url });
  await seeder.synchronize();
  const redis = await RedisServer.start();
  const workers = [new WorkerProcess(0), new WorkerProcess(1)];
  const totals: StaleCounts = { reads: 0, deletedSessionServed: 0, outdatedUserServed: 0, outdatedExpiryServed: 0, liveSessionMissing: 0, examples: [] };
  const problems = { writeErrors: 0, readErrors: 0, examples: [] as string[] };
  const waves: Array<Record<string, unknown>> = [];
  let outage: Record<string, number | boolean | null> = {};
  try {
    const prefix = `nak:soak:${process.pid}:`;
    await Promise.all(workers.map((w) => w.request({ type: "init", dbUrl: db.url, redisPort: redis.port, prefix, index: w.index }, "ready", 60_000)));

    const add = (counts: StaleCounts, results: Array<{ writes: WriteResult[]; readErrorCount: number; readErrors: string[] }>) => {
      for (const key of ["reads", "deletedSessionServed", "outdatedUserServed", "outdatedExpiryServed", "liveSessionMissing"] as const) totals[key] += counts[key];
      totals.examples.push(...counts.examples.slice(0, 5 - totals.examples.length));
      for (const r of results) {
        problems.readErrors += r.readErrorCount;
        for (const e of r.readErrors) if (problems.examples.length < 5) problems.examples.push(`read: ${e}`);
        for (const w of r.writes.filter((x) => !x.ok)) {
          problems.writeErrors++;
          if (problems.examples.length < 5) problems.examples.push(`${w.op.kind}: ${w.error}`);
        }
      }
    };

    for (let n = 0; n < ctx.sizes.coherenceWaves && performance.now() < ctx.deadline; n++) {
      const users = ctx.sizes.coherenceUsersPerWave;
      const duration = ctx.sizes.coherenceWaveMs;
      const wave = await seedWave(seeder, n, users, { durationMs: duration, writesFrom: 0.1 * duration, writesTo: 0.9 * duration, writers: () => true });
      ctx.log(`cacheCoherence: wave ${n + 1}/${ctx.sizes.coherenceWaves}, ${users * 2} sessions, ${wave.writes.length} writes over ${duration / 1000} s`);
      const before = await stats(workers);
      const results = await runWave(workers, wave);
      const after = await stats(workers);
      const counts = judgeWave(wave, results.map((r) => r.reads), results.flatMap((r) => r.writes));
      add(counts, results);
      waves.push({ wave: n, reads: counts.reads, writes: wave.writes.length, hitRate: rate(before, after), ...pick(counts) });
    }

    // The outage wave: a third of the users get writes, the rest keep their sessions so the hit rate means something.
    const { outageBeforeMs, outageDownMs } = ctx.sizes;
    const span = outageBeforeMs + outageDownMs + 3000;
    const n = ctx.sizes.coherenceWaves;
    const wave = await seedWave(seeder, n, ctx.sizes.coherenceUsersPerWave, { writesFrom: 0.1 * span, writesTo: span, writers: (u) => u % 3 === 0 });
    ctx.log(`cacheCoherence: Redis outage wave: kill Redis after ${outageBeforeMs / 1000} s, start it again ${outageDownMs / 1000} s later`);
    const done = Promise.all(workers.map((w) => w.next("waveDone", RECOVERY_LIMIT_MS + span + 60_000)));
    for (const w of workers) w.send({ type: "wave", wave });
    await sleep(Math.max(0, wave.startAt - sharedNow()) + outageBeforeMs / 3);
    const warm = await stats(workers);
    await sleep((outageBeforeMs * 2) / 3);
    const killed = await stats(workers);
    await redis.stop();
    await sleep(outageDownMs);
    const down = await stats(workers);
    await redis.start();
    const restartedAt = performance.now();
    const baseline = rate(warm, killed);
    let recoveredAfterMs: number | null = null;
    let previous = down;
    while (performance.now() - restartedAt < RECOVERY_LIMIT_MS) {
      await sleep(POLL_MS);
      const now = await stats(workers);
      const current = rate(previous, now);
      previous = now;
      if (baseline !== null && current !== null && current >= baseline / 2) {
        recoveredAfterMs = performance.now() - restartedAt;
        break;
      }
    }
    await sleep(1500);
    const end = await stats(workers);
    for (const w of workers) w.send({ type: "stop" });
    const results = await done;
    const counts = judgeWave(wave, results.map((r) => r.reads), results.flatMap((r) => r.writes));
    add(counts, results);
    outage = {
      hitRateBefore: baseline,
      hitRateWhileDown: rate(killed, down),
      hitRateAfter: rate(previous, end),
      secondsToHitRateRecovery: recoveredAfterMs === null ? null : round(recoveredAfterMs / 1000),
      recovered: recoveredAfterMs !== null,
    };
    waves.push({ wave: n, outage: true, reads: counts.reads, writes: wave.writes.length, ...pick(counts) });
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await redis.stop();
    await seeder.close();
    await ctx.databases.drop(db).catch(() => undefined);
  }

  const stale = staleServed(totals);
  return {
    title: "Cache coherence across instances",
    figures: {
      staleReadsAfterInvalidation: loss(stale),
      liveSessionsReportedMissing: loss(totals.liveSessionMissing),
      cacheCallErrors: loss(problems.writeErrors + problems.readErrors),
      hitRateRecoveredAfterRedisRestart: check(outage.recovered === true),
      secondsToHitRateRecovery: target(outage.secondsToHitRateRecovery as number | null, "≤ lease + 1 s (4)"),
      hitRateBeforeOutage: info(percent(outage.hitRateBefore)),
      hitRateWhileRedisDown: info(percent(outage.hitRateWhileDown)),
      hitRateAfterRecovery: info(percent(outage.hitRateAfter)),
      reads: info(totals.reads),
    },
    details: { ...pick(totals), staleExamples: totals.examples, ...problems, waves, outage },
    notes: [
      "Two processes, each a kit with sessionCache({ redis }) (defaults: ttlMs 30 s, leaseMs 3 s, commandTimeoutMs 500 ms), on one PostgreSQL database and one redis-server of the soak's own.",
      "staleReadsAfterInvalidation = deletedSessionServed + outdatedUserServed + outdatedExpiryServed: reads (either process) that started after a write resolved (shared clock: performance.timeOrigin + performance.now(), sub-ms, margin 0) yet returned the deleted session, an older user name or an older expiry.",
      "Half the reads aim at sessions whose writes are due within 30 ms, where a stale entry would show; a quarter go through the v3 getSession.",
      "Outage wave: Redis is SIGKILLed mid-run and restarted on the same port; reads and writes continue throughout. Hit rates are hits / lookups over the window; recovery = the first 250 ms window after the restart with at least half the pre-outage hit rate.",
    ],
  };
};

export function pick(c: StaleCounts) {
  return {
    deletedSessionServed: c.deletedSessionServed,
    outdatedUserServed: c.outdatedUserServed,
    outdatedExpiryServed: c.outdatedExpiryServed,
    liveSessionMissing: c.liveSessionMissing,
  };
}

/** Creates the wave's users (two sessions each) and plans their writes. */
export async function seedWave(
  kit: AdapterKit,
  id: number,
  users: number,
  plan: { durationMs?: number; writesFrom: number; writesTo: number; writers: (user: number) => boolean },
): Promise<WaveSpec> {
  const userIds: string[] = [];
  const tokens: string[] = [];
  const tokenUser: number[] = [];
  const expiresBase = Date.now() + 3_600_000;
  await pool(users, 8, async (u) => {
    const user = await kit.authjs.createUser({ email: `w${id}.u${u}.${process.pid}@cache.example`, emailVerified: null, name: `w${id}-u${u}-v0` });
    userIds[u] = user.id;
    for (const t of [2 * u, 2 * u + 1]) {
      tokens[t] = `w${id}-t${t}-${process.pid}-${Math.random().toString(36).slice(2)}`;
      tokenUser[t] = u;
      await kit.authjs.createSession({ sessionToken: tokens[t]!, userId: user.id, expires: new Date(expiresBase) });
    }
  });
  const writes: WaveSpec["writes"] = [];
  for (let u = 0; u < users; u++) {
    if (!plan.writers(u)) continue;
    const times = Array.from({ length: 5 }, () => plan.writesFrom + Math.random() * (plan.writesTo - plan.writesFrom)).sort((a, b) => a - b);
    const facade: WriteOp["facade"] = u % 4 < 2 ? "authjs" : "legacy";
    const [a, b] = [2 * u, 2 * u + 1];
    const worker = u % 2;
    const script: WriteOp[] = [
      { at: times[0]!, kind: "updateUser", target: u, facade, version: 1 },
      { at: times[1]!, kind: "updateSession", target: a, facade, expires: expiresBase + 60_000 },
      { at: times[2]!, kind: "deleteSession", target: a, facade },
      { at: times[3]!, kind: "updateUser", target: u, facade, version: 2 },
      u % 2 === 0 ? { at: times[4]!, kind: "deleteUser", target: u, facade } : { at: times[4]!, kind: "deleteSession", target: b, facade },
    ];
    writes.push(...script.map((op) => ({ ...op, worker })));
  }
  return { id, startAt: sharedNow() + 300, tokens, tokenUser, userIds, writes, durationMs: plan.durationMs, readers: READERS_PER_WORKER };
}

export async function runWave(workers: WorkerProcess[], wave: WaveSpec) {
  const done = Promise.all(workers.map((w) => w.next("waveDone", (wave.durationMs ?? 0) + 120_000)));
  for (const w of workers) w.send({ type: "wave", wave });
  return done;
}

export async function stats(workers: WorkerProcess[]): Promise<Stats> {
  const all = await Promise.all(workers.map((w) => w.request({ type: "stats" }, "stats", 10_000)));
  return all.reduce((a, s) => ({ hits: a.hits + s.hits, misses: a.misses + s.misses, bypasses: a.bypasses + s.bypasses }), { hits: 0, misses: 0, bypasses: 0 });
}

/** Hits / lookups between two stats snapshots; null when there were none. */
export function rate(from: Stats, to: Stats): number | null {
  const hits = to.hits - from.hits;
  const lookups = hits + (to.misses - from.misses) + (to.bypasses - from.bypasses);
  return lookups > 0 ? hits / lookups : null;
}

export function percent(value: unknown): number | string {
  return typeof value === "number" ? Math.round(value * 1000) / 10 : "n/a";
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}

