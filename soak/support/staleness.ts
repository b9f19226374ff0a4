/**
 * Campaign 3's judge: compares every read (from either process) with every write that had
 * resolved before the read started, on the shared clock.
 */
import type { ReadLog, WaveSpec, WriteResult } from "../workers/protocol";

export interface StaleCounts {
  reads: number;
  /** A read that started after a delete of its session (or of its user) resolved, and returned the session. */
  deletedSessionServed: number;
  /** A read that started after a rename resolved, and returned an older name. */
  outdatedUserServed: number;
  /** A read that started after an expiry update resolved, and returned an older expiry. */
  outdatedExpiryServed: number;
  /**
   * A read that ended before any delete of its session began, and returned null; for a session
   * signed in during the wave (a createSession write), one that also started after the sign-in resolved.
   */
  liveSessionMissing: number;
  examples: string[];
}

/** Every read that served an older state than a resolved write: the campaigns' stale figure. */
export function staleServed(counts: StaleCounts): number {
  return counts.deletedSessionServed + counts.outdatedUserServed + counts.outdatedExpiryServed;
}

export function judgeWave(wave: WaveSpec, reads: ReadLog[], writes: WriteResult[]): StaleCounts {
  const tokensOf = new Map<number, number[]>();
  wave.tokenUser.forEach((u, t) => (tokensOf.get(u) ?? tokensOf.set(u, []).get(u)!).push(t));
  const deleteResolved = new Array<number>(wave.tokens.length).fill(Infinity);
  const deleteStarted = new Array<number>(wave.tokens.length).fill(Infinity);
  // Sessions signed in before the wave exist from its start; the others once their createSession resolved.
  const created = wave.tokens.map((_, t) => (wave.seeded?.[t] ?? true ? -Infinity : Infinity));
  const renames = new Map<number, Array<[number, number]>>(); // user -> [resolvedAt, version]
  const expiries = new Map<number, Array<[number, number]>>(); // token -> [resolvedAt, expires]
  for (const w of writes) {
    const { op } = w;
    const tokens = op.kind === "deleteUser" || op.kind === "updateUser" ? (tokensOf.get(op.target) ?? []) : [op.target];
    if (op.kind === "createSession") {
      if (w.ok) created[op.target] = Math.min(created[op.target]!, w.resolvedAt);
    } else if (op.kind === "deleteSession" || op.kind === "deleteUser") {
      for (const t of tokens) {
        deleteStarted[t] = Math.min(deleteStarted[t]!, w.startedAt);
        if (w.ok) deleteResolved[t] = Math.min(deleteResolved[t]!, w.resolvedAt);
      }
    } else if (w.ok && op.kind === "updateUser") (renames.get(op.target) ?? renames.set(op.target, []).get(op.target)!).push([w.resolvedAt, op.version!]);
    else if (w.ok && op.kind === "updateSession") (expiries.get(op.target) ?? expiries.set(op.target, []).get(op.target)!).push([w.resolvedAt, op.expires!]);
  }
  /** The newest value whose write resolved before `start`. */
  const required = (list: Array<[number, number]> | undefined, start: number): number => {
    let best = -Infinity;
    for (const [resolvedAt, value] of list ?? []) if (resolvedAt < start && value > best) best = value;
    return best;
  };

  const counts: StaleCounts = { reads: 0, deletedSessionServed: 0, outdatedUserServed: 0, outdatedExpiryServed: 0, liveSessionMissing: 0, examples: [] };
  const perKind = new Map<string, number>();
  /** At most two examples of each kind, five in all. */
  const example = (text: string) => {
    const kind = text.replace(/[#\d.]+/g, "");
    if (counts.examples.length >= 5 || (perKind.get(kind) ?? 0) >= 2) return;
    perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
    counts.examples.push(text);
  };
  for (const log of reads) {
    for (let i = 0; i < log.token.length; i++) {
      counts.reads++;
      const t = log.token[i]!;
      const start = log.start[i]!;
      const user = wave.tokenUser[t]!;
      if (log.found[i]) {
        if (start > deleteResolved[t]!) {
          counts.deletedSessionServed++;
          example(`wave ${wave.id} token #${t}: read started ${(start - deleteResolved[t]!).toFixed(3)} ms after the delete resolved and returned the session`);
        }
        const version = log.version[i]!;
        const newest = required(renames.get(user), start);
        if (version >= 0 && version < newest) {
          counts.outdatedUserServed++;
          example(`wave ${wave.id} user #${user}: read returned name v${version} after v${newest} was written`);
        }
        const expiry = required(expiries.get(t), start);
        if (log.expires[i]! < expiry) {
          counts.outdatedExpiryServed++;
          example(`wave ${wave.id} token #${t}: read returned an expiry older than the update that resolved before it`);
        }
      } else if (start > created[t]! && log.end[i]! < deleteStarted[t]!) {
        counts.liveSessionMissing++;
        example(`wave ${wave.id} token #${t}: read returned null before any delete began`);
      }
    }
  }
  return counts;
}
