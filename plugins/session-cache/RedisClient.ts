/**
 * The part of an ioredis client the cache uses. Typed structurally so the kit has no run-time (or
 * type-level) dependency on ioredis; an `ioredis` `Redis` instance satisfies it.
 */
export interface RedisClient {
  /** ioredis connection state; only `"ready"` counts as healthy. */
  readonly status: string;
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  publish(channel: string, message: string): Promise<number>;
  subscribe(...channels: string[]): Promise<unknown>;
  /** Sharded pub/sub (Redis 7), used on Redis Cluster: one slot, so every instance meets on one shard. */
  spublish?(channel: string, message: string): Promise<unknown>;
  ssubscribe?(...channels: string[]): Promise<unknown>;
  /** True for an ioredis `Cluster`. */
  readonly isCluster?: boolean;
  /** A new connection with the same options: the cache's subscriber (a Cluster takes option overrides). */
  // `any[]`: a Redis takes (options), a Cluster (startupNodes, options).
  duplicate(...overrides: any[]): RedisClient;
  /** On a Cluster: its masters, to watch the cache's slot. */
  nodes?(role?: "master" | "slave" | "all"): Array<{ cluster(subcommand: string, ...args: (string | number)[]): Promise<unknown> }>;
  /** On a Cluster: re-reads the slot map (ioredis does so on errors only; a master that came back may be missing). */
  refreshSlotsCache?(callback?: (error?: unknown) => void): void;
  /** `CLUSTER <subcommand>` on any node. */
  cluster?(subcommand: string, ...args: (string | number)[]): Promise<unknown>;
  /** `INFO <section>`: read once, to warn when the server evicts keys (see evictionCheck). */
  info?(section: string): Promise<string>;
  connect(): Promise<void>;
  disconnect(): void;
  // `any[]`: ioredis declares its listeners that way, and a narrower type would not accept it.
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
}
