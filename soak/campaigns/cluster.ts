/**
 * Campaign `cluster`: cache coherence as in campaign 3, with the session cache on a Redis Cluster of
 * three masters (the soak's own): two app instances in separate processes read and write sessions,
 * and the master holding the cache's slot is killed mid-run and started again.
 */
import { createAdapterKit } from "../../src";
import { RedisClusterSet } from "../../test/support/redisCluster";
import { info, loss } from "../report";
import { runCoherence, share } from "../support/coherenceRun";
import type { Campaign } from "../support/context";
import { staleServed } from "../support/staleness";

export const cluster: Campaign = async (ctx) => {
  const db = await ctx.databases.create("cluster");
  const seeder = createAdapterKit({ database: db.url });
  const redis = await RedisClusterSet.start();
  const prefix = `nak:soak:cluster:${process.pid}:`;
  try {
    await seeder.synchronize();
    const master = await redis.masterFor(`{${prefix}}seq`);
    const result = await runCoherence(
      ctx,
      seeder,
      { dbUrl: db.url, redisPort: 0, prefix, clusterNodes: redis.nodes },
      { label: "the cache's cluster master", stop: () => redis.killMaster(master), start: () => redis.restartMaster(master) },
      "cluster",
    );
    const { totals, normal, outageWave } = result;
    const stale = staleServed(totals);
    const lookups = (s: typeof normal) => s.hits + s.misses + s.bypasses;
    return {
      title: "Cache coherence on Redis Cluster, a master killed",
      figures: {
        staleReadsAfterInvalidation: loss(stale),
        liveSessionsReportedMissing: loss(totals.liveSessionMissing),
        cacheCallErrors: loss(result.errors.normal + result.errors.outage),
        hitRate: info(share(normal.hits, lookups(normal)) ?? "n/a"),
        hitRateInOutageWave: info(share(outageWave.hits, lookups(outageWave)) ?? "n/a"),
        reads: info(totals.reads),
      },
      details: { ...totals, staleExamples: totals.examples, errors: result.errors, normal, outageWave, waves: result.waves },
      notes: [
        "Two processes, each a kit with sessionCache({ redis: new Cluster(...) }) on three masters (no replicas): every cache key under one hash tag, sharded pub/sub.",
        "Outage wave: the master holding the cache's slot is SIGKILLed mid-wave (the cluster goes down) and started again empty; reads and writes continue throughout.",
        "staleReadsAfterInvalidation as in campaign 3.",
      ],
    };
  } finally {
    await seeder.close().catch(() => undefined);
    await redis.destroy();
    await ctx.databases.drop(db).catch(() => undefined);
  }
};
