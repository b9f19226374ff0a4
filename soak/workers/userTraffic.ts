/**
 * The `users` traffic model of campaign `replicas`, as one app instance sees it (the plan is made in
 * soak/support/userWave.ts):
 *
 * - every request reads the requesting user's session: readers pick, uniformly, a session whose
 *   browser presents its cookie now: signed in before the wave, or whose sign-in has resolved
 *   (here, or on the other instance as the parent relays it), and not signed out;
 * - a sign-out (or an account deletion) ends that: the browser stops presenting the cookie, except
 *   another tab that presents it once more, at a random time within STALE_TAB_WITHIN_MS, on each
 *   instance (the stale-cookie reads);
 * - probes, the adversarial part: once a write resolves, each instance reads every session it
 *   touched at once (the other instance as soon as the relay arrives, about a millisecond later) and
 *   again PROBE_AGAIN_MS later, both well within the replica's apply delay.
 */
import type { WaveSpec, WriteOp } from "./protocol";

/** The second probe of a write's sessions, in ms after the first. */
export const PROBE_AGAIN_MS = 50;
/** A signed-out cookie is presented once more within this many ms (another tab). */
export const STALE_TAB_WITHIN_MS = 2000;

export class UserTraffic {
  /** Sessions whose cookie is presented now, and where each sits in `live` (swap-remove). */
  private readonly live: number[] = [];
  private readonly at = new Map<number, number>();
  private readonly tokensOf = new Map<number, number[]>();

  constructor(wave: WaveSpec) {
    wave.tokenUser.forEach((u, t) => (this.tokensOf.get(u) ?? this.tokensOf.set(u, []).get(u)!).push(t));
    wave.tokens.forEach((_, t) => {
      if (wave.seeded?.[t] ?? true) this.add(t);
    });
  }

  /** The session of the next request; undefined when nobody is signed in. */
  pick(): number | undefined {
    return this.live.length === 0 ? undefined : this.live[Math.floor(Math.random() * this.live.length)];
  }

  /** A write resolved (on either instance): who presents a cookie from now on, what to probe, which cookies went stale. */
  resolved(op: WriteOp, ok: boolean): { probe: number[]; stale: number[] } {
    switch (op.kind) {
      case "createSession":
        if (ok) this.add(op.target);
        return { probe: [op.target], stale: [] };
      case "updateSession":
        return { probe: [op.target], stale: [] };
      case "deleteSession":
        if (ok) this.remove(op.target);
        return { probe: [op.target], stale: ok ? [op.target] : [] };
      case "updateUser":
        return { probe: this.liveOf(op.target), stale: [] };
      case "deleteUser": {
        const tokens = this.liveOf(op.target);
        if (ok) tokens.forEach((t) => this.remove(t));
        return { probe: tokens, stale: ok ? tokens : [] };
      }
    }
  }

  private liveOf(user: number): number[] {
    return (this.tokensOf.get(user) ?? []).filter((t) => this.at.has(t));
  }

  private add(t: number): void {
    if (this.at.has(t)) return;
    this.at.set(t, this.live.length);
    this.live.push(t);
  }

  private remove(t: number): void {
    const i = this.at.get(t);
    if (i === undefined) return;
    const last = this.live.pop()!;
    if (last !== t) {
      this.live[i] = last;
      this.at.set(last, i);
    }
    this.at.delete(t);
  }
}
