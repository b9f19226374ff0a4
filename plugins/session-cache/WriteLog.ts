import type { KitEvents } from "../../src/plugin-api";
import type { Fence } from "./ChannelMessage";

type Write = KitEvents["replica.write"];

/** Most writes remembered; a write call that outlived more than this many fences everyone. */
const KEPT = 1024;

/**
 * The database writes this instance reported (`replica.write`: the users a write touched and the
 * primary's WAL position after it), so that a write operation can carry those it caused to every
 * other instance with its invalidation. A window may hold concurrent calls' writes too: a
 * broadcast then fences a few more users than needed, never fewer.
 */
export class WriteLog {
  private readonly entries: Array<{ seq: number; write: Write }> = [];
  private seq = 0;

  add(write: Write): void {
    this.entries.push({ seq: ++this.seq, write });
    if (this.entries.length > KEPT) this.entries.shift();
  }

  mark(): number {
    return this.seq;
  }

  /** The merged fence of every write since `mark`, or undefined when there was none. */
  since(mark: number): Fence | undefined {
    if (this.seq === mark) return undefined;
    if (this.entries.length === 0 || this.entries[0]!.seq > mark + 1) return { userIds: "all", lsn: undefined, created: true };
    let all = false;
    let created = false;
    /** A creation that named no keys: the merged fence names none either. */
    let anyKey = false;
    const buckets = new Set<number>();
    let unknown = false;
    let lsn: string | undefined;
    const users = new Set<string>();
    for (const { seq, write } of this.entries) {
      if (seq <= mark) continue;
      if (write.userIds === "all") all = true;
      else for (const userId of write.userIds) users.add(userId);
      if (write.created) {
        created = true;
        if (write.buckets === undefined || write.buckets.length === 0) anyKey = true;
        else for (const bucket of write.buckets) buckets.add(bucket);
      }
      if (write.lsn === undefined) unknown = true;
      else if (lsn === undefined || later(write.lsn, lsn)) lsn = write.lsn;
    }
    return { userIds: all ? "all" : [...users], lsn: unknown ? undefined : lsn, created, ...(created && !anyKey && { buckets: [...buckets] }) };
  }
}

/** WAL positions "X/Y" (hex halves) compared as numbers. */
function later(a: string, b: string): boolean {
  const [ah, al] = a.split("/").map((h) => parseInt(h, 16));
  const [bh, bl] = b.split("/").map((h) => parseInt(h, 16));
  return ah! !== bh! ? ah! > bh! : al! > bl!;
}
