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
  /** A new connection with the same options: the cache's subscriber. */
  duplicate(): RedisClient;
  connect(): Promise<void>;
  disconnect(): void;
  // `any[]`: ioredis declares its listeners that way, and a narrower type would not accept it.
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
}
