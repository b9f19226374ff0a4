/**
 * Campaign `replicas`: two app instances in separate processes, each a kit with a PostgreSQL
 * primary and a streaming replica that applies WAL 300 ms late (`recovery_min_apply_delay`), and
 * `sessionCache({ redis })` with a short TTL so that reads keep reaching the database. Readers
 * hammer getSessionAndUser while writers sign in, update and sign out; the replica is stopped and
 * started again mid-run. The primary and the replica are the soak's own (initdb, pg_basebackup -R).
 */
import { createAdapterKit } from "../../src";
import { PgReplicaSet } from "../../test/support/pgReplica";
import { info, loss, target } from "../report";
import { runCoherence, share } from "../support/coherenceRun";
import type { Campaign } from "../support/context";
import { RedisServer } from "../support/redisServer";

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
      // Sessions exist well before they are read, as in production: the replica has them when a wave starts.
      () => set.waitForReplay(60_000),
    );
    const { totals, normal, outageWave } = result;
    const stale = totals.deletedSessionServed + totals.outdatedUserServed + totals.outdatedExpiryServed;
    return {
      title: "Read replicas with a 300 ms apply delay, two instances",
      figures: {
        staleReadsFromReplica: loss(stale),
        missedFreshSessions: loss(totals.liveSessionMissing),
        errorsDuringReplicaOutage: loss(result.errors.outage),
        errorsOutsideOutage: loss(result.errors.normal),
        replicaReadShare: target(share(normal.replicaReads, normal.replicaReads + normal.primaryReads), "≥ 0.9 of hot reads outside the outage"),
        replicaReadShareDuringOutageWave: info(share(outageWave.replicaReads, outageWave.replicaReads + outageWave.primaryReads) ?? "n/a"),
        reads: info(totals.reads),
        databaseHotReads: info(normal.replicaReads + normal.primaryReads + outageWave.replicaReads + outageWave.primaryReads),
      },
      details: { ...totals, staleExamples: totals.examples, errors: result.errors, normal, outageWave, waves: result.waves },
      notes: [
        `Two processes, each a kit with { url: primary, replicas: [replica], maxReplicaLagMs: ${MAX_REPLICA_LAG_MS}, replicaPollMs: 100 } and sessionCache({ redis, ttlMs: 250 }) (short, so reads keep reaching the database); the replica applies WAL ${APPLY_DELAY_MS} ms late.`,
        "staleReadsFromReplica = deleted sessions, older user names or older expiries returned by reads that started after the write resolved (shared clock); missedFreshSessions = live sessions reported missing.",
        "replicaReadShare = database hot reads answered by the replica / all database hot reads (replica.read events), over the waves before the outage; details.normal.readReasons breaks the rest down. By design the primary answers a read of a user within about one apply delay (+ a poll) of a write to it (fenced), and every miss (a signed-out or unknown token): the workload aims half its reads at sessions being written and keeps reading signed-out ones, so the share here is a floor, not what a quiet session sees.",
        "Outage wave: the replica is stopped (pg_ctl stop -m fast) mid-wave and started again; errorsDuringReplicaOutage counts failed reads and writes in that wave.",
      ],
    };
  } finally {
    await seeder.close().catch(() => undefined);
    await redis.stop();
    await set.destroy();
  }
};
