import { randomBytes } from "node:crypto";
import { createAdapterKit, type AdapterKit } from "../../src";
import { PgReplicaSet } from "../../test/support/pgReplica";
import { fullPlugins } from "../implementations/kitVariants";
import { median, summarizeRound, type RoundResult } from "../stats";
import { createKitSchema } from "../setup/kitSchema";
import { BENCH_SECRET, readFixtures, seed } from "../setup/seed";
import { withClient } from "../setup/databases";

/** One contender's figures in one part (medians over rounds). */
export interface ReplicaContender {
  p50Us: number;
  p99Us: number;
  opsPerSec: number;
  rounds: RoundResult[];
}

export interface ReplicaPart {
  opsPerRound: number;
  rounds: number;
  primaryOnly: ReplicaContender;
  withReplica: ReplicaContender;
  /** withReplica p50 − primaryOnly p50, µs: median over rounds of the per-round difference. */
  addedP50Us: number;
  /** withReplica p50 / primaryOnly p50: median over rounds. */
  p50Ratio: number;
}

export interface ReplicasResult {
  sessions: number;
  /** getSessionAndUser, kit full (cache off), on the primary only vs with `replicas: [replica]`. */
  read: ReplicaPart;
  /** createSession, the same two kits: with replicas each write also reads the primary's WAL position. */
  write: ReplicaPart;
  /** Of the measured reads of the kit with the replica: answered by the replica (`replica.read` events). */
  replicaReadShare: number | null;
  /** Those reads by target and reason, e.g. `replica:replica`, `primary:miss`. */
  readRoutes: Record<string, number>;
}

type Call = (kit: AdapterKit, k: number) => Promise<unknown>;

const USERS = 2000;
const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

/**
 * The replica path's cost: a primary and a streaming replica of the section's own (PgReplicaSet:
 * initdb, pg_basebackup, no apply delay), seeded, and two "kit full" kits (cache off) on the same
 * primary, one with `replicas: [replica]`. Calls alternate between them (A B A B ..., the starting
 * kit rotating), reads first (on quiet sessions: none was written during the run), then writes.
 */
export async function measureReplicas(sessions: number, readOps: number, writeOps: number, rounds: number, deadline: number, progress: (line: string) => void): Promise<ReplicasResult> {
  const set = await PgReplicaSet.start({ database: "bench" });
  const kits: AdapterKit[] = [];
  const disposers: Array<() => void> = [];
  try {
    await createKitSchema(set.primaryUrl);
    const fixtures = await withClient(set.primaryUrl, async (c) => {
      await seed(c, "kit", USERS, sessions);
      return readFixtures(c, "kit", sessions);
    });
    await set.waitForReplay(60_000);
    const kit = (database: string | { url: string; replicas: string[] }) => {
      const full = fullPlugins();
      disposers.push(full.dispose);
      const created = createAdapterKit({ database, secret: BENCH_SECRET, sessionTokens: "hashed", plugins: full.plugins });
      kits.push(created);
      return created;
    };
    const primaryOnly = kit(set.primaryUrl);
    const withReplica = kit({ url: set.primaryUrl, replicas: [set.replicaUrl] });
    const routes: Record<string, number> = {};
    let counting = false;
    let replicaAnswered = false;
    withReplica.events.on("replica.read", ({ target, reason }) => {
      if (target === "replica") replicaAnswered = true;
      if (counting) routes[`${target}:${reason}`] = (routes[`${target}:${reason}`] ?? 0) + 1;
    });

    const tokens = fixtures.sessionTokens;
    const lookup: Call = async (k, i) => {
      if (!(await k.authjs.getSessionAndUser(tokens[i % tokens.length]!))) throw new Error("replicas: getSessionAndUser found no seeded session");
    };
    const users = fixtures.userIds;
    const write: Call = (k, i) => k.authjs.createSession({ sessionToken: randomBytes(32).toString("hex"), userId: users[i % users.length]!, expires: new Date(Date.now() + THIRTY_DAYS_MS) });

    // Warm-up, unmeasured: every session once through each kit (both servers' caches, the pools, the JIT).
    for (let i = 0; i < tokens.length; i++) for (const k of [primaryOnly, withReplica]) await lookup(k, i);
    // The steady state is measured: the kit's first poll may find the replica a record behind the
    // primary (it then waits for the next poll, 100 ms later), and a loaded machine gets through
    // the warm-up sooner than that. Up to 10 s for the replica to answer a read.
    for (let i = 0, until = performance.now() + 10_000; !replicaAnswered && performance.now() < until; i++) {
      await lookup(withReplica, i);
      if (!replicaAnswered) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    counting = true;
    const read = await alternate([primaryOnly, withReplica], lookup, readOps, rounds, deadline, (r) => progress(`  replicas: reads, round ${r}/${rounds}`));
    counting = false;
    await alternate([primaryOnly, withReplica], write, Math.min(writeOps, 50), 1, Number.POSITIVE_INFINITY, () => undefined);
    const written = await alternate([primaryOnly, withReplica], write, writeOps, rounds, deadline, (r) => progress(`  replicas: writes, round ${r}/${rounds}`));
    const onReplica = routes["replica:replica"] ?? 0;
    const all = Object.values(routes).reduce((a, b) => a + b, 0);
    return { sessions, read, write: written, replicaReadShare: all > 0 ? onReplica / all : null, readRoutes: routes };
  } finally {
    await Promise.allSettled(kits.map((k) => k.close()));
    for (const dispose of disposers) dispose();
    await set.destroy();
  }
}

/** `rounds` rounds of `ops` calls per kit, alternating call by call; stops early past `deadline`. */
async function alternate(kits: [AdapterKit, AdapterKit], call: Call, ops: number, rounds: number, deadline: number, progress: (round: number) => void): Promise<ReplicaPart> {
  const per: [RoundResult[], RoundResult[]] = [[], []];
  let offset = 0;
  for (let round = 0; round < rounds; round++) {
    if (round > 0 && performance.now() > deadline) break;
    const latencies = [new Float64Array(ops), new Float64Array(ops)];
    for (let k = 0; k < ops; k++) {
      for (let j = 0; j < 2; j++) {
        const x = (j + k) % 2;
        const started = performance.now();
        await call(kits[x]!, offset + k);
        latencies[x]![k] = performance.now() - started;
      }
    }
    offset += ops;
    latencies.forEach((l, x) => per[x]!.push(summarizeRound(l, l.reduce((a, b) => a + b, 0))));
    progress(round + 1);
  }
  const summary = (rs: RoundResult[]): ReplicaContender => ({ p50Us: median(rs.map((r) => r.p50Us)), p99Us: median(rs.map((r) => r.p99Us)), opsPerSec: median(rs.map((r) => r.opsPerSec)), rounds: rs });
  const [a, b] = per;
  return {
    opsPerRound: ops,
    rounds: a.length,
    primaryOnly: summary(a),
    withReplica: summary(b),
    addedP50Us: median(a.map((r, i) => b[i]!.p50Us - r.p50Us)),
    p50Ratio: median(a.map((r, i) => b[i]!.p50Us / r.p50Us)),
  };
}
