import type { RedisClient } from "./RedisClient";

/**
 * On Redis Cluster: whether the slot holding every key of the cache is served steadily. A slot
 * that is migrating (`[slot->-node]` / `[slot-<-node]` in its master's own CLUSTER NODES line), or
 * whose master changed since the last check (a failover or a finished migration: the new master
 * may lack invalidations the old one had), is not: the cache then bypasses and, once steady again,
 * makes everything cached before unreachable (a new epoch).
 */
export class SlotWatch {
  private slot: number | undefined;
  private owner: string | undefined;

  constructor(
    private readonly redis: RedisClient,
    /** Any key of the cache (they share one hash tag). */
    private readonly key: string,
  ) {}

  async steady(): Promise<boolean> {
    const slot = (this.slot ??= Number(await this.redis.cluster!("KEYSLOT", this.key)));
    const views = await Promise.allSettled(this.redis.nodes!("master").map((node) => node.cluster("NODES")));
    let owner: string | undefined;
    let moving = false;
    for (const view of views) {
      if (view.status !== "fulfilled") continue;
      for (const line of String(view.value).split("\n")) {
        const parts = line.trim().split(" ");
        if (parts.length < 9 || !parts[2]!.includes("myself") || !parts[2]!.includes("master")) continue;
        for (const range of parts.slice(8)) {
          if (range.startsWith(`[${slot}-`)) moving = true;
          else if (!range.startsWith("[") && covers(range, slot)) owner = parts[0];
        }
      }
    }
    // The slot's master did not answer for itself: the client may not know it again yet (a master
    // that failed and came back), so have it re-read the slot map before the next check.
    if (owner === undefined) this.redis.refreshSlotsCache?.(() => undefined);
    const changed = this.owner !== undefined && owner !== this.owner;
    if (owner !== undefined) this.owner = owner;
    // The slot's master must have answered for itself, with no migration and no new master.
    return owner !== undefined && !moving && !changed;
  }
}

function covers(range: string, slot: number): boolean {
  const [from, to] = range.split("-").map(Number);
  return slot >= from! && slot <= (to ?? from)!;
}
