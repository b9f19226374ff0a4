import type { RedisClient } from "./RedisClient";
import { SlotWatch } from "./SlotWatch";

/** After these, a connection may have missed messages: the channel is not trusted. */
const CONNECTION_LOST_EVENTS = ["close", "end", "reconnecting"];
/**
 * A Cluster client stays "ready" while one of its nodes fails: these say so. `nodeError` and
 * `-subscriber` come from ioredis's sharded subscribers: when the cache's slot moves to another
 * master, Redis unsubscribes them (an unexpected `sunsubscribe`, which ioredis reports as a node
 * error) and the writers' SPUBLISH no longer reaches this instance.
 */
const CLUSTER_NODE_EVENTS = ["-node", "node error", "nodeError", "-subscriber"];
/** Recoveries failed in a row after which a Cluster subscriber is taken as stuck and replaced. */
const STUCK_AFTER = 3;

/**
 * How the invalidation bus subscribes: plain pub/sub on one Redis (standalone or Sentinel), or,
 * on Redis Cluster, sharded pub/sub (SSUBSCRIBE/SPUBLISH: the channel shares the keys' hash tag, so
 * every instance meets on the shard that runs the scripts), with node events heeded, the cache's
 * slot watched, and any failure answered by a new epoch (it may have been a failover to a replica
 * that missed invalidations).
 */
export interface PubSubMode {
  /** The subscriber's message event. */
  readonly messageEvent: "message" | "smessage";
  /** Connection events after which the channel is not trusted. */
  readonly lostEvents: readonly string[];
  /** Every failure, not only a lost connection, ends the epoch (Cluster). */
  readonly newEpochOnAnyFailure: boolean;
  /** The cache's slot, checked every heartbeat and before trusting the channel (Cluster). */
  readonly slot: SlotWatch | undefined;
  /** Opens a subscriber connection: a duplicate of the app's client. */
  duplicate(redis: RedisClient): RedisClient;
  subscribe(subscriber: RedisClient, ...channels: string[]): Promise<unknown>;
  /** True when `failedRecoveries` in a row mean the subscriber is stuck and must be replaced. */
  stuck(failedRecoveries: number): boolean;
}

const plain: PubSubMode = {
  messageEvent: "message",
  lostEvents: CONNECTION_LOST_EVENTS,
  newEpochOnAnyFailure: false,
  slot: undefined,
  duplicate: (redis) => redis.duplicate(),
  subscribe: (subscriber, ...channels) => subscriber.subscribe(...channels),
  stuck: () => false,
};

function sharded(redis: RedisClient, anyKey: string): PubSubMode {
  return {
    messageEvent: "smessage",
    lostEvents: [...CONNECTION_LOST_EVENTS, ...CLUSTER_NODE_EVENTS],
    newEpochOnAnyFailure: true,
    slot: new SlotWatch(redis, anyKey),
    // ioredis routes sharded subscriptions to the slot's master only with shardedSubscribers;
    // its group can lose the subscriber of a master that failed and came back, hence `stuck`.
    duplicate: (client) => client.duplicate([], { shardedSubscribers: true }),
    subscribe: (subscriber, ...channels) => subscriber.ssubscribe!(...channels),
    stuck: (failedRecoveries) => failedRecoveries >= STUCK_AFTER,
  };
}

/** The mode for `redis`: sharded on Cluster (`anyKey`: a key of the cache, to find its slot). */
export function pubSubMode(redis: RedisClient, cluster: boolean | undefined, anyKey: string): PubSubMode {
  return cluster ? sharded(redis, anyKey) : plain;
}
