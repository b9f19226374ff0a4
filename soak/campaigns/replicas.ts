/**
 * Campaign `replicas`: two app instances in separate processes, each a kit with a PostgreSQL
 * primary and a streaming replica that applies WAL 300 ms late (`recovery_min_apply_delay`), and
 * `sessionCache({ redis })` with a short TTL so that reads keep reaching the database. The traffic
 * is a model of users (soak/support/userWave.ts, soak/workers/userTraffic.ts): each reads their own
 * session on every request while some sign in, are renamed, extend a session, sign out or delete
 * their account; every write is followed by probes on both instances, the adversarial reads that
 * test the guarantees. The replica is stopped and started again mid-run. The primary and the
 * replica are the soak's own (initdb, pg_basebackup -R).
 */
import { createAdapterKit } from "../../src";
import { PgReplicaSet } from "../../test/support/pgReplica";
import { info, loss, target } from "../report";
import { runCoherence, share, type ReadSplit } from "../support/coherenceRun";
import type { Campaign } from "../support/context";
import { RedisServer } from "../support/redisServer";
import { staleServed } from "../support/staleness";
import { seedUserWave, USER_MIX } from "../support/userWave";
import { PROBE_AGAIN_MS, STALE_TAB_WITHIN_MS } from "../workers/userTraffic";

const APPLY_DELAY_MS = 300;
const MAX_REPLICA_LAG_MS = 1000;

export const replicas: Campaign = async (ctx) => {
  const set = await PgReplicaSet.start();
  const redis = await RedisServer.start();
  const seeder = createAdapterKit({ database: set.primaryUrl });
  try {
    await seeder.migrate();
    await set.waitForReplay();
    await set.setApplyDelay(APPLY_DELAY_MS);
    const result = await runCoherence(
      ctx,
      seeder,
      {
        dbUrl: set.primaryUrl,
        database: { url: set.primaryUrl, replicas: [set.replicaUrl], maxReplicaLagMs: MAX_REPLICA_LAG_MS, replicaPollMs: 100 },
        redisPort: redis.port,
        prefix: `nak:soak:replicas:${process.pid}:`,
        cacheTtlMs: 250,
      },
      { label: "the replica", stop: () => set.stopReplica(), start: () => set.startReplica(), recovered: () => set.waitForReplay(60_000) },
      "replicas",
      {
        seed: (kit, id, plan) => seedUserWave(kit, id, ctx.sizes.replicaUsersPerWave, plan),
        // Users signed in before the wave did so well before it, as in production: the replica has their sessions.
        afterSeed: () => set.waitForReplay(60_000),
        relayWrites: true,
      },
    );
    const { totals, normal, outageWave, readsByKind } = result;
    const writes = result.waves.reduce((sum, w) => sum + Number(w.writes), 0);
    const stale = staleServed(totals);
    return {
      title: "Read replicas with a 300 ms apply delay, two instances",
      figures: {
        staleReadsFromReplica: loss(stale),
        missedFreshSessions: loss(totals.liveSessionMissing),
        errorsDuringReplicaOutage: loss(result.errors.outage),
        errorsOutsideOutage: loss(result.errors.normal),
        replicaReadShare: target(share(normal.replicaReads, normal.replicaReads + normal.primaryReads), "≥ 0.9 of hot reads outside the outage"),
        replicaReadShareOfTraffic: info(kindShare(normal, "traffic") ?? "n/a"),
        replicaReadShareOfProbes: info(kindShare(normal, "probe") ?? "n/a"),
        replicaReadShareOfStaleCookies: info(kindShare(normal, "stale-cookie") ?? "n/a"),
        replicaReadShareDuringOutageWave: info(share(outageWave.replicaReads, outageWave.replicaReads + outageWave.primaryReads) ?? "n/a"),
        reads: info(totals.reads),
        probeReads: info(readsByKind.probe ?? 0),
        staleCookieReads: info(readsByKind["stale-cookie"] ?? 0),
        writes: info(writes),
        readsPerWrite: info(writes > 0 ? Math.round(totals.reads / writes) : "n/a"),
        databaseHotReads: info(normal.replicaReads + normal.primaryReads + outageWave.replicaReads + outageWave.primaryReads),
      },
      details: { ...totals, staleExamples: totals.examples, errors: result.errors, readsByKind, normal, outageWave, waves: result.waves },
      notes: [
        `Two processes, each a kit with { url: primary, replicas: [replica], maxReplicaLagMs: ${MAX_REPLICA_LAG_MS}, replicaPollMs: 100 } and sessionCache({ redis, ttlMs: 250 }) (short, so reads keep reaching the database); the replica applies WAL ${APPLY_DELAY_MS} ms late.`,
        `Traffic model: ${ctx.sizes.replicaUsersPerWave} users per wave, each signed in on one device before it; every request (4 closed-loop readers per process, a quarter through the v3 getSession) reads the session of a user picked at random among those whose browser presents a cookie (signed in, sign-out not yet answered). Per user and wave: a second device signs in ${pct(USER_MIX.secondDeviceSignIn)}, a rename ${pct(USER_MIX.rename)}, a session extension ${pct(USER_MIX.extend)}, a sign-out ${pct(USER_MIX.signOut)}, an account deletion ${pct(USER_MIX.deleteAccount)}, at random times, each user's writes through one instance (readsPerWrite: how many requests per write that made). A sign-in's cookie is presented from its answer on (sign-ins followed by reads); after a sign-out the browser stops presenting it, except another tab that presents it once more on each instance within ${STALE_TAB_WITHIN_MS / 1000} s (stale-cookie reads).`,
        `Probes (adversarial, judged like every read): once a write resolves, each instance reads every session it touched at once (the other instance as soon as the parent relays the write, about a millisecond later) and again ${PROBE_AGAIN_MS} ms later, well inside the apply delay.`,
        "staleReadsFromReplica = deleted sessions, older user names or older expiries returned by reads (traffic, probes, stale cookies) that started after the write resolved (shared clock); missedFreshSessions = null for a session signed in (its createSession resolved) and not yet being signed out.",
        "replicaReadShare = database hot reads answered by the replica / all database hot reads (replica.read events) over the waves before the outage: traffic, probes and stale cookies together (the issue's target). replicaReadShareOfTraffic / OfProbes / OfStaleCookies split it by what the read was; details.normal.kindReasons by reason (fenced: the user was written within about an apply delay + a poll; miss: not found on the replica while a creation it has not replayed could make the key findable: a new session in the token's bucket, or a rename, which may change an e-mail).",
        "Outage wave: the replica is stopped (pg_ctl stop -m fast) mid-wave and started again; errorsDuringReplicaOutage counts failed reads and writes in that wave.",
      ],
    };
  } finally {
    await seeder.close().catch(() => undefined);
    await redis.stop();
    await set.destroy();
  }
};

/** Replica share of the database hot reads of one kind of read (traffic, probe, stale-cookie). */
function kindShare(split: ReadSplit, kind: string): number | null {
  let replica = 0;
  let all = 0;
  for (const [key, count] of Object.entries(split.kindReasons)) {
    if (!key.startsWith(`${kind}:`)) continue;
    all += count;
    if (key === `${kind}:replica`) replica += count;
  }
  return share(replica, all);
}

const pct = (p: number) => `${Math.round(p * 100)} %`;
