/** Messages between campaign 3 (the parent) and its cache workers (one app instance each). */

/** A write the worker performs at `at` ms after the wave starts, on the shared clock. */
export interface WriteOp {
  at: number;
  kind: "createSession" | "deleteSession" | "deleteUser" | "updateUser" | "updateSession";
  /** Token index (createSession, deleteSession, updateSession) or user index (deleteUser, updateUser). */
  target: number;
  facade: "authjs" | "legacy";
  /** updateUser: the new name's version. */
  version?: number;
  /** updateSession and createSession: the (new) expiry (ms since the epoch). */
  expires?: number;
}

export interface WaveSpec {
  id: number;
  /** Shared-clock time (sharedNow) at which the wave starts. */
  startAt: number;
  tokens: string[];
  /** User index of each token. */
  tokenUser: number[];
  userIds: string[];
  /** Every write of the wave, with the worker that performs it (readers aim at tokens being written). */
  writes: Array<WriteOp & { worker: number }>;
  /** Fixed length in ms; absent: the wave runs until the parent sends "stop". */
  durationMs?: number;
  readers: number;
  /**
   * How readers pick what to read. `hammer` (default, campaigns 3 and `cluster`): half the reads aim
   * at sessions whose writes are due within 30 ms, the rest at any token of the wave. `users`
   * (campaign `replicas`): the traffic model of soak/workers/userTraffic.ts.
   */
  traffic?: "hammer" | "users";
  /** `users` traffic: tokens signed in before the wave (the others are signed in by a createSession write). Absent: all. */
  seeded?: boolean[];
}

/** What a read was, for the read split: ordinary traffic, a probe right after a write, or a signed-out cookie. */
export const READ_KINDS = ["traffic", "probe", "stale-cookie", "write"] as const;
export type ReadKind = (typeof READ_KINDS)[number];

/** Reads as parallel arrays (compact over IPC). version: -1 when the read returned no user name. */
export interface ReadLog {
  token: number[];
  start: number[];
  end: number[];
  found: number[];
  version: number[];
  expires: number[];
  /** Index in READ_KINDS (hammer traffic: always 0). */
  kind: number[];
}

export interface WriteResult {
  op: WriteOp;
  startedAt: number;
  resolvedAt: number;
  ok: boolean;
  error?: string;
}

export type ToWorker =
  | {
      type: "init";
      dbUrl: string;
      redisPort: number;
      prefix: string;
      index: number;
      /** Campaign `replicas`: the database option (a primary URL with replicas) instead of `dbUrl`. */
      database?: { url: string; replicas: string[]; maxReplicaLagMs: number; replicaPollMs: number };
      /** Campaign `cluster`: Redis Cluster seed nodes instead of `redisPort`. */
      clusterNodes?: Array<{ host: string; port: number }>;
      /** The cache's ttlMs (default: the cache's own). */
      cacheTtlMs?: number;
    }
  | { type: "wave"; wave: WaveSpec }
  | { type: "stop" }
  | { type: "stats" }
  /** Users traffic: a write the other instance made resolved (relayed by the parent). */
  | { type: "peerWrote"; op: WriteOp; ok: boolean }
  | { type: "close" };

export type FromWorker =
  | { type: "ready" }
  | { type: "waveDone"; id: number; reads: ReadLog; writes: WriteResult[]; readErrors: string[]; readErrorCount: number }
  | { type: "stats"; hits: number; misses: number; bypasses: number; replicaReads: number; primaryReads: number; readReasons: Record<string, number>; kindReasons: Record<string, number> }
  /** Users traffic: one of this worker's writes resolved (the parent relays it to the other worker). */
  | { type: "wrote"; op: WriteOp; ok: boolean }
  | { type: "closed" }
  | { type: "failed"; error: string };
