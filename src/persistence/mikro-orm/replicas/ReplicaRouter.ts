import type { KitEvents, ReplicaSkipReason } from "../../../kernel/plugin";
import { StatementFailure, type Executor } from "../dialects/Dialect";
import { parseLsn, replayTarget, type Lsn, type WalGeometry } from "./lsn";
import type { ReplicaFence } from "./ReplicaFence";
import { valueRefused } from "./valueRefused";

export interface ReplicaSettings {
  /** A replica whose view is older than this (ms) is not read from. */
  maxLagMs: number;
  /** How often each replica's replay position and the primary's WAL position are read (ms). */
  pollMs: number;
}

/** One replica as the router sees it: a name for logs (host, port, database; never credentials). */
export interface ReplicaEndpoint<S> {
  readonly name: string;
  readonly executor: Executor;
  /** What a store's query runs against on this replica. */
  readonly scope: S;
}

type Emit = <E extends keyof KitEvents>(event: E, payload: KitEvents[E]) => void;

interface Sample {
  at: number;
  lsn: Lsn;
}

class ReplicaNode<S> {
  /** Replayed position at the last successful poll. */
  lsn: Lsn | undefined;
  /** Every write committed before this time (ms, performance clock) is visible on the replica. */
  freshAsOf = Number.NEGATIVE_INFINITY;
  /** Why it is not used, from its last poll or read; undefined when reachable and a replica. */
  fault: Exclude<ReplicaSkipReason, "lagging"> | undefined;
  /** Nothing is reported before the first poll has answered (or failed). */
  polled = false;
  /** What the last event said, so only changes are reported. */
  reported: "in-use" | ReplicaSkipReason | undefined;
  polling = false;
  constructor(readonly endpoint: ReplicaEndpoint<S>) {}
}

/** A replica picked for one read, and the position it had replayed when picked. */
export interface ReplicaChoice<S> {
  readonly node: ReplicaNode<S>;
  readonly lsn: Lsn;
}

const PRIMARY_POSITION = { text: "select pg_current_wal_insert_lsn()::text as lsn", values: [] };
const REPLAY_POSITION = { text: "select pg_last_wal_replay_lsn()::text as lsn, pg_is_in_recovery() as recovery", values: [] };
const GEOMETRY = {
  text: "select (select setting from pg_settings where name = 'wal_block_size') as block, (select setting from pg_settings where name = 'wal_segment_size') as segment",
  values: [],
};

/**
 * Decides, per hot read, whether a replica may answer, and keeps what that decision needs: every
 * `pollMs` the primary's WAL position (a sample: everything committed before it was taken is at or
 * below it) and each replica's replayed position. A replica's view is then known to hold every
 * write committed before the newest sample it has replayed (`freshAsOf`); it is used while that is
 * at most `maxLagMs` old, it has replayed the fence's floor, and nothing says it is down.
 *
 * A replica that cannot be polled or read from is skipped until a later poll succeeds; one that
 * is not in recovery (promoted, or the primary listed by mistake) is skipped too. Each change of a
 * replica's state is reported once (`replica.state`), which the logging and metrics plugins turn
 * into a log line and a counter.
 */
export class ReplicaRouter<S> {
  private readonly nodes: ReplicaNode<S>[];
  private readonly samples: Sample[] = [];
  private geometry: WalGeometry | undefined;
  private samplesStarted = 0;
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private closed = false;
  private pollingPrimary = false;

  constructor(
    private readonly primary: Executor,
    endpoints: readonly ReplicaEndpoint<S>[],
    private readonly fence: ReplicaFence,
    private readonly settings: ReplicaSettings,
    private readonly emit: Emit,
  ) {
    this.nodes = endpoints.map((endpoint) => new ReplicaNode(endpoint));
  }

  /** Starts polling; the first poll runs at once so reads can use replicas quickly. */
  start(): Promise<void> {
    this.timer = setInterval(() => void this.poll(), this.settings.pollMs);
    this.timer.unref();
    return this.poll();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
  }

  get replicaNames(): string[] {
    return this.nodes.map((n) => n.endpoint.name);
  }

  /** How many primary samples were started: a write of unknown outcome waits for the next one. */
  get sampleCount(): number {
    return this.samplesStarted;
  }

  /** A replica for one read (round robin over the usable ones), or undefined: read the primary. */
  choose(): ReplicaChoice<S> | undefined {
    if (this.fence.blocked || this.nodes.length === 0) return undefined;
    const now = performance.now();
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[(this.next + i) % this.nodes.length]!;
      if (this.evaluate(node, now) === "in-use") {
        this.next = (this.next + i + 1) % this.nodes.length;
        return { node, lsn: node.lsn! };
      }
    }
    return undefined;
  }

  /** True when `choice`'s replica had replayed every change noted for `userIds`. */
  fresh(choice: ReplicaChoice<S>, userIds: readonly string[]): boolean {
    return !this.fence.blocked && choice.lsn >= this.fence.required(userIds);
  }

  /** True when `choice`'s replica had replayed every creation noted that could make the key (its bucket) findable: its "not found" is the truth. */
  freshMiss(choice: ReplicaChoice<S>, bucket?: number): boolean {
    return !this.fence.blocked && choice.lsn >= this.fence.missFloor(bucket);
  }

  /**
   * A read on the replica failed: skip it until a poll reaches it again. Unless the caller's value
   * caused it (SQLSTATE class 22, a value the column type refuses; 54, a value past a limit): the
   * primary answers that read, and the replica stays in use.
   */
  failed(choice: ReplicaChoice<S>, error: unknown): void {
    if (error instanceof StatementFailure && valueRefused(error.failure.sqlState)) return;
    choice.node.fault = faultOf(error);
    this.evaluate(choice.node, performance.now());
  }

  /** The primary's position now, for a write that just committed. */
  async primaryPosition(): Promise<Lsn> {
    const geometry = await this.walGeometry();
    const { rows } = await this.primary.execute(PRIMARY_POSITION);
    return replayTarget(parseLsn(String(rows[0]!.lsn)), geometry);
  }

  /** One poll: the primary's position first, then every replica's (so a replica can meet the sample). */
  async poll(): Promise<void> {
    if (this.closed) return;
    await this.samplePrimary();
    await Promise.all(this.nodes.map((node) => this.pollReplica(node)));
    const now = performance.now();
    let lowest: Lsn | undefined;
    for (const node of this.nodes) {
      if (this.evaluate(node, now) === "in-use" && (lowest === undefined || node.lsn! < lowest)) lowest = node.lsn!;
    }
    if (lowest !== undefined) this.fence.prune(lowest);
  }

  private async samplePrimary(): Promise<void> {
    if (this.pollingPrimary) return;
    this.pollingPrimary = true;
    const count = ++this.samplesStarted;
    const at = performance.now();
    try {
      const lsn = await this.primaryPosition();
      this.fence.sampled(count, lsn);
      this.samples.push({ at, lsn });
      // Older samples than the bound can no longer make a replica usable: keep the window only.
      const horizon = at - this.settings.maxLagMs - 2 * this.settings.pollMs;
      while (this.samples.length > 1 && this.samples[0]!.at < horizon) this.samples.shift();
    } catch {
      // The primary did not answer: replicas age until it does (their lag is measured against it).
    } finally {
      this.pollingPrimary = false;
    }
  }

  private async pollReplica(node: ReplicaNode<S>): Promise<void> {
    if (node.polling || this.closed) return;
    node.polling = true;
    try {
      const { rows } = await node.endpoint.executor.execute(REPLAY_POSITION);
      const row = rows[0]!;
      if (row.recovery !== true || row.lsn == null) {
        node.fault = "not-a-replica";
        return;
      }
      const lsn = parseLsn(String(row.lsn));
      // Replay only moves forward while the server runs; a lower position means it restarted.
      node.lsn = lsn;
      node.fault = undefined;
      for (let i = this.samples.length - 1; i >= 0; i--) {
        if (this.samples[i]!.lsn <= lsn) {
          node.freshAsOf = Math.max(node.freshAsOf, this.samples[i]!.at);
          break;
        }
      }
    } catch (error) {
      node.fault = faultOf(error);
    } finally {
      node.polled = true;
      node.polling = false;
    }
  }

  /** The node's state now, reporting a change. */
  private evaluate(node: ReplicaNode<S>, now: number): "in-use" | ReplicaSkipReason {
    let state: "in-use" | ReplicaSkipReason;
    if (node.fault) state = node.fault;
    else if (node.lsn === undefined || now - node.freshAsOf > this.settings.maxLagMs || node.lsn < this.fence.floor) state = "lagging";
    else state = "in-use";
    if (node.polled && state !== node.reported) {
      const first = node.reported === undefined;
      node.reported = state;
      // The first poll of a replica that is fine says nothing; everything else is news.
      if (!(first && state === "in-use")) {
        const lagMs = Number.isFinite(node.freshAsOf) ? Math.round(now - node.freshAsOf) : undefined;
        this.emit("replica.state", state === "in-use" ? { replica: node.endpoint.name, state } : { replica: node.endpoint.name, state: "skipped", reason: state, ...(lagMs !== undefined && { lagMs }) });
      }
    }
    return state;
  }

  private async walGeometry(): Promise<WalGeometry> {
    if (!this.geometry) {
      const { rows } = await this.primary.execute(GEOMETRY);
      this.geometry = { blockSize: BigInt(String(rows[0]!.block)), segmentSize: BigInt(String(rows[0]!.segment)) };
    }
    return this.geometry;
  }
}

/** Why a replica that threw is skipped: it refused us (credentials), or it is not reachable. */
function faultOf(error: unknown): "down" | "refused" {
  return error instanceof StatementFailure && error.failure.kind === "authentication" ? "refused" : "down";
}
