import type { RedisClient } from "./RedisClient";
import type { Seal } from "./seal";
import { BUMP_EPOCH, FILL, INVALIDATE, READ } from "./scripts";
import { withTimeout } from "./withTimeout";

/** What a Redis lookup found, plus the epoch and seq the reader must hand back to `fill`. */
export interface RedisRead {
  /** The cached value, verified; null when there is none or it did not verify. */
  json: string | null;
  /** A value was there but its MAC did not verify: forged or altered in Redis. */
  rejected: boolean;
  /** Remaining TTL of the value in ms (meaningless when `json` is null). */
  pttl: number;
  epoch: string;
  seq: string;
}

/**
 * The shared tier: one value per token id in Redis, with every command bounded by
 * `commandTimeoutMs`. Any rejection (error or timeout) means "Redis cannot be trusted right now";
 * the caller decides what that implies. Values are encrypted (see Seal) on the way in and
 * verified on the way out.
 */
export class RedisTier {
  constructor(
    private readonly redis: RedisClient,
    private readonly seal: Seal,
    private readonly prefix: string,
    private readonly commandTimeoutMs: number,
    /** How long invalidation marks live: a read in flight longer than this must not fill. */
    readonly markTtlMs: number,
    /** Sharded pub/sub (SPUBLISH): a Redis Cluster, where every key and channel is in one slot. */
    private readonly sharded = false,
  ) {}

  get ready(): boolean {
    return this.redis.status === "ready";
  }

  async read(id: string): Promise<RedisRead> {
    const reply = (await withTimeout(READ.run(this.redis, [this.prefix, id]), this.commandTimeoutMs)) as [string | null, number, string, string];
    const [stored, pttl, epoch, seq] = reply;
    const json = typeof stored === "string" ? (this.seal.decrypt(id, stored) ?? null) : null;
    return { json, rejected: typeof stored === "string" && json === null, pttl: Number(pttl), epoch: String(epoch), seq: String(seq) };
  }

  /** Stores a value read from the database, unless an invalidation overtook the read. True when stored. */
  async fill(id: string, userId: string, read: Pick<RedisRead, "epoch" | "seq">, json: string, ttlMs: number, userSetTtlMs: number): Promise<boolean> {
    const args = [this.prefix, id, userId, read.epoch, read.seq, this.seal.encrypt(id, json), Math.floor(ttlMs), Math.ceil(userSetTtlMs)];
    return Number(await withTimeout(FILL.run(this.redis, args), this.commandTimeoutMs)) === 1;
  }

  /**
   * Drops tokens and users' sessions, then publishes `message`; resolves to how many subscribers got
   * it. `hold`: no fill stores these tokens and users for `markTtlMs` (see INVALIDATE).
   */
  async invalidate(ids: readonly string[], userIds: readonly string[], channel: string, message: string, hold = false): Promise<number> {
    const args = [this.prefix, this.markTtlMs, channel, message, this.sharded ? "SPUBLISH" : "PUBLISH", hold ? this.markTtlMs : 0, ids.length, ...ids, userIds.length, ...userIds];
    return Number(await withTimeout(INVALIDATE.run(this.redis, args), this.commandTimeoutMs));
  }

  async bumpEpoch(): Promise<void> {
    await withTimeout(BUMP_EPOCH.run(this.redis, [this.prefix]), this.commandTimeoutMs);
  }

  async publish(channel: string, message: string): Promise<number> {
    return Number(await withTimeout(this.sharded ? this.redis.spublish!(channel, message) : this.redis.publish(channel, message), this.commandTimeoutMs));
  }
}
