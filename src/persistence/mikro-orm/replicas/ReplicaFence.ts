import type { Lsn } from "./lsn";
import { isMissBucket, MISS_BUCKETS } from "./missBuckets";

/** Most users the fence tracks one by one; past that it folds them into the floor (safe, coarser). */
const MAX_TRACKED = 100_000;

/**
 * The WAL positions a replica must have replayed before its answer may be used, per user.
 *
 * Every write the kit makes is noted under the users whose rows it changed, at a primary WAL
 * position taken after it committed: this instance's own writes directly, other instances' through
 * the sessionCache broadcast. A replica read is kept only if the replica had replayed the position
 * of every user its result names (a session's owner, the user found); else the primary answers.
 * A write whose outcome is unknown (the connection broke after sending it) raises the floor for
 * everyone at the next primary position the kit samples.
 *
 * Entries every usable replica has passed are folded into `floor`, which keeps the map small and
 * keeps a replica that comes back from an outage unused until it has caught up with them.
 */
export class ReplicaFence {
  private readonly users = new Map<string, Lsn>();
  private floorLsn: Lsn = 0n;
  /** Writes of unknown outcome since this many primary samples; resolved by the next sample. */
  private unknownSince: number | undefined;
  private highest: Lsn = 0n;
  /** The latest write that made a row findable by a key it did not name: every miss needs it. */
  private created: Lsn = 0n;
  /** Per bucket of lookup keys (missBuckets), the latest write that made a row findable by a key in it. */
  private readonly keyed: Lsn[] = new Array<Lsn>(MISS_BUCKETS).fill(0n);
  /** The highest of `keyed`: what a miss whose key is not known needs. */
  private keyedHighest: Lsn = 0n;

  /** The position every replica answer needs, whatever it holds. */
  get floor(): Lsn {
    return this.floorLsn;
  }

  /** True while a write of unknown outcome waits for the next primary sample: replicas are not used. */
  get blocked(): boolean {
    return this.unknownSince !== undefined;
  }

  /** The highest position noted (what this instance's writes have reached). */
  get latest(): Lsn {
    return this.highest;
  }

  /**
   * The rows of `userIds` (or of anyone, for `"all"`) changed; a replica needs `lsn` to show it.
   * `created`: the write made rows findable by new keys, those of `buckets` when it names them
   * (all valid), else by any key.
   */
  note(userIds: readonly string[] | "all", lsn: Lsn, created = false, buckets?: readonly number[]): void {
    if (lsn > this.highest) this.highest = lsn;
    if (created) this.noteCreated(lsn, buckets);
    if (userIds === "all") {
      this.raiseFloor(lsn);
      return;
    }
    if (lsn <= this.floorLsn) return;
    for (const userId of userIds) {
      const known = this.users.get(userId);
      if (known === undefined || known < lsn) this.users.set(userId, lsn);
    }
    if (this.users.size > MAX_TRACKED) this.raiseFloor(this.highest);
  }

  /** A write may or may not have committed: no replica until a primary position after it is known. */
  noteUnknown(sampleCount: number): void {
    this.unknownSince ??= sampleCount;
  }

  /** A primary position sampled (the `sampleCount`th sample, started after the call that counted it). */
  sampled(sampleCount: number, lsn: Lsn): void {
    if (this.unknownSince !== undefined && sampleCount > this.unknownSince) {
      this.unknownSince = undefined;
      this.raiseFloor(lsn);
    }
  }

  /**
   * The position a replica needs for its "not found" to be believed: every creation noted without
   * keys, and those in the key's bucket (every keyed creation when the bucket is not known).
   */
  missFloor(bucket?: number): Lsn {
    const keyed = bucket === undefined ? this.keyedHighest : this.keyed[bucket]!;
    let needed = this.created > this.floorLsn ? this.created : this.floorLsn;
    if (keyed > needed) needed = keyed;
    return needed;
  }

  private noteCreated(lsn: Lsn, buckets: readonly number[] | undefined): void {
    if (buckets === undefined || buckets.length === 0 || !buckets.every(isMissBucket)) {
      if (lsn > this.created) this.created = lsn;
      return;
    }
    for (const bucket of buckets) if (lsn > this.keyed[bucket]!) this.keyed[bucket] = lsn;
    if (lsn > this.keyedHighest) this.keyedHighest = lsn;
  }

  /** The position a replica needs for an answer about `userIds`. */
  required(userIds: readonly string[]): Lsn {
    let needed = this.floorLsn;
    for (const userId of userIds) {
      const lsn = this.users.get(userId);
      if (lsn !== undefined && lsn > needed) needed = lsn;
    }
    return needed;
  }

  /** Every usable replica has replayed `lsn`: entries at or below it no longer decide anything. */
  prune(lsn: Lsn): void {
    this.raiseFloor(lsn);
  }

  get size(): number {
    return this.users.size;
  }

  private raiseFloor(lsn: Lsn): void {
    if (lsn <= this.floorLsn) return;
    this.floorLsn = lsn;
    for (const [userId, needed] of this.users) if (needed <= lsn) this.users.delete(userId);
  }
}
