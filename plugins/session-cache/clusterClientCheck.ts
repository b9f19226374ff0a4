import type { RedisClient } from "./RedisClient";

let warned = false;

/**
 * Warns (once per process) when a Redis Cluster client comes from an ioredis before 5.9. Those
 * versions resubscribe sharded channels after a topology change without handling the rejection,
 * so a subscriber connection closing meanwhile leaves an unhandled "Connection is closed."
 * rejection, which ends a Node process run with the default `--unhandled-rejections=throw`: a
 * failover could take the app down. Told apart by shape, since an instance does not carry its
 * package's version: 5.9 added `createShardedSubscriberGroup` to the Cluster class.
 */
export function checkClusterClient(redis: RedisClient): void {
  if (warned || redis.isCluster !== true) return;
  if (typeof (redis as { createShardedSubscriberGroup?: unknown }).createShardedSubscriberGroup === "function") return;
  warned = true;
  process.emitWarning(
    "nextauth-adapter-kit: sessionCache was given a Redis Cluster client from ioredis before 5.9, which can leave an unhandled rejection after a cluster failover (ending the process by default); upgrade ioredis to 5.9 or later",
    { code: "NAK_IOREDIS_CLUSTER" },
  );
}
