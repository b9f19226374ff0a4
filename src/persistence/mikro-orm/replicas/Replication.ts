import type { MikroORM } from "@mikro-orm/core";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import type { KitEvents, PluginHost } from "../../../kernel/plugin";
import { AdapterError, ErrorCode } from "../../../errors/AdapterError";
import type { Dialect, FailureKind } from "../dialects/Dialect";
import { failureOf } from "../translateError";
import { dialectOf } from "../dialects/dialectFor";
import type { ReplicationSettings } from "../resolveDatabase";
import { formatLsn, parseLsn } from "./lsn";
import { missBucket } from "./missBuckets";
import { ReplicaFence } from "./ReplicaFence";
import { ReplicaRouter, type ReplicaChoice } from "./ReplicaRouter";
import { valueRefused } from "./valueRefused";

/** The users a result is about; null when it is a miss (no row): a miss is always asked of the primary. */
export type UserIdsOf<T> = (result: T) => readonly string[] | null;

/** The users whose rows a write changed; `"all"` when it cannot say. */
export type TouchedBy<T> = (result: T) => readonly string[] | "all";

/** Failures after which the statement certainly did not commit: the server refused it whole. */
const NOT_COMMITTED = new Set<FailureKind>(["unique_violation", "foreign_key_violation", "not_null_violation", "invalid_value", "undefined_table", "undefined_column", "missing_database", "authentication"]);

type Events = Pick<PluginHost, "emit" | "on">;

/**
 * Read replicas for one OrmConnection: which replica answers a hot read, and the fence that keeps
 * every answer at least as new as the writes it must show (see ReplicaFence and ReplicaRouter).
 *
 * - Hot reads go to a usable replica; a miss (no row) or an answer about a user with a newer
 *   write than the replica has replayed is asked again of the primary, as is a read the replica
 *   failed. Callers never see a replica's error.
 * - Writes always go to the primary; after each, the primary's WAL position is noted in the fence
 *   for the users it touched, and reported (`replica.write`) so the sessionCache broadcast can carry
 *   it to every other instance (which note it as `replica.fence`).
 */
export class Replication<S> {
  readonly fence = new ReplicaFence();
  private router: ReplicaRouter<S> | undefined;
  private events: Events | undefined;
  /** A plugin carries fences between instances (sessionCache with Redis). */
  private broadcast = false;
  /** ...but its channel is not trusted now: other instances' writes may go unheard. */
  private broadcastDown = false;
  private noticed = false;

  constructor(private readonly settings: ReplicationSettings) {}

  /** True when the ORM has replicas: hot reads may use them and writes note their position. */
  get active(): boolean {
    return this.router !== undefined;
  }

  get replicaNames(): string[] {
    return this.router?.replicaNames ?? [];
  }

  /** The kit's event bus: fences from other instances come in, read routing and replica state go out. */
  attach(events: Events): void {
    this.events = events;
    events.on("replica.broadcast", ({ active }) => {
      this.broadcast = true;
      // Trusted again: fences sent while we were not listening are lost, so nothing older than
      // the next primary sample is read from a replica.
      if (active && this.broadcastDown) this.fence.noteUnknown(this.router?.sampleCount ?? 0);
      this.broadcastDown = !active;
    });
    events.on("replica.fence", ({ userIds, lsn, created, buckets }) => {
      if (lsn === undefined) this.fence.noteUnknown(this.router?.sampleCount ?? 0);
      else this.fence.note(userIds, parseLsn(lsn), created === true, buckets);
    });
  }

  /** Sets up routing when the ORM has read replicas (MikroORM's `replicas` option). */
  async open(orm: MikroORM, primary: Dialect, scopeOf: (dialect: Dialect) => S): Promise<void> {
    const connections = (orm.em.getDriver() as unknown as { replicas?: AbstractSqlConnection[] }).replicas ?? [];
    if (connections.length === 0) return;
    if (primary.name !== "postgresql") {
      throw new AdapterError(ErrorCode.CONFIGURATION, `read replicas are supported on PostgreSQL only, not on ${primary.name}`);
    }
    const configured = (orm.config.get("replicas") ?? []) as Array<{ name?: string; clientUrl?: string; host?: string; port?: number; dbName?: string }>;
    const endpoints = connections.map((connection, index) => {
      const dialect = dialectOf(connection);
      return { name: replicaName(configured[index], index), executor: dialect, scope: scopeOf(dialect) };
    });
    this.router = new ReplicaRouter(primary, endpoints, this.fence, this.settings, (event, payload) => this.emit(event, payload));
    await this.router.start();
  }

  close(): void {
    this.router?.close();
  }

  /**
   * A hot read: on a replica when one is usable and fresh enough for what it found, else on the
   * primary (`primary`, the ordinary read path with its retry). `missKey`: the lookup key (a
   * session's stored token), so a miss needs only the creations in its bucket (see missBuckets).
   */
  async read<T>(query: (scope: S) => Promise<T>, userIdsOf: UserIdsOf<T>, primary: () => Promise<T>, missKey?: string): Promise<T> {
    const router = this.router;
    if (!router) return primary();
    this.notice();
    if (this.broadcastDown) return this.fromPrimary(primary, "broadcast-untrusted");
    const choice = router.choose();
    if (!choice) return this.fromPrimary(primary, "no-usable-replica");
    let result: T;
    try {
      result = await query(choice.node.endpoint.scope);
    } catch (error) {
      router.failed(choice, error);
      return this.fromPrimary(primary, "replica-failed");
    }
    const userIds = userIdsOf(result);
    if (userIds === null) {
      // "Not found" is believed only when every instance's creations reach this one (the
      // broadcast, trusted) and the replica has replayed the latest that could make the key
      // findable (its bucket's and every one that named no key); else the primary.
      if (!this.broadcast || !router.freshMiss(choice as ReplicaChoice<S>, missKey === undefined ? undefined : missBucket(missKey))) return this.fromPrimary(primary, "miss");
      this.emit("replica.read", { target: "replica", reason: "replica" });
      return result;
    }
    if (!router.fresh(choice as ReplicaChoice<S>, userIds)) return this.fromPrimary(primary, "fenced");
    this.emit("replica.read", { target: "replica", reason: "replica" });
    return result;
  }

  /**
   * A write committed on the primary: replicas must replay past its position to answer about
   * `userIds`; `created`: it made rows findable by new keys, `createdKeys` when it can name them all.
   */
  async wrote(userIds: readonly string[] | "all", created = false, createdKeys?: readonly string[]): Promise<void> {
    const router = this.router;
    if (!router || (userIds !== "all" && userIds.length === 0)) return;
    let lsn;
    try {
      lsn = await router.primaryPosition();
    } catch {
      // The write committed but its position cannot be read: no replica until the next sample.
      this.unknownOutcome();
      return;
    }
    const buckets = created && createdKeys !== undefined && createdKeys.length > 0 ? createdKeys.map(missBucket) : undefined;
    this.fence.note(userIds, lsn, created, buckets);
    this.emit("replica.write", { userIds, lsn: formatLsn(lsn), ...(created && { created }), ...(buckets && { buckets }) });
  }

  /**
   * A write failed; unless the server certainly refused it, it may have committed. Refused: the
   * kinds above, and SQLSTATE class 22 or 54 (the caller's value did not fit, or passed a limit
   * such as an index row's size), which a caller could otherwise send to block every replica read.
   */
  failed(error: unknown): void {
    if (!this.router) return;
    const failure = failureOf(error);
    if (failure.phase === "connect" || NOT_COMMITTED.has(failure.kind) || valueRefused(failure.sqlState)) return;
    this.unknownOutcome();
  }

  private unknownOutcome(): void {
    this.fence.noteUnknown(this.router!.sampleCount);
    this.emit("replica.write", { userIds: "all" });
  }

  private async fromPrimary<T>(primary: () => Promise<T>, reason: KitEvents["replica.read"]["reason"]): Promise<T> {
    this.emit("replica.read", { target: "primary", reason });
    return primary();
  }

  /** Once, at the first hot read (plugins are set up by then): what this deployment guarantees. */
  private notice(): void {
    if (this.noticed) return;
    this.noticed = true;
    const names = this.router!.replicaNames.join(", ");
    const message = this.broadcast
      ? `read replicas (${names}): reads on this instance see every write made through any instance (WAL positions travel with the sessionCache broadcast)`
      : `read replicas (${names}): reads on this instance see its own writes at once; a write made through ANOTHER instance may be read from a replica up to maxReplicaLagMs (${this.settings.maxLagMs} ms) old, a signed-out session included. Use sessionCache({ redis }) on every instance for the cross-instance guarantee (README "Scaling out")`;
    this.emit("replica.notice", { message, crossInstance: this.broadcast ? "broadcast" : "lag-bound" });
  }

  private emit<E extends keyof KitEvents>(event: E, payload: KitEvents[E]): void {
    this.events?.emit(event, payload);
  }
}

/** A replica's name for logs and events: host, port and database, never a user or password. */
function replicaName(config: { name?: string; clientUrl?: string; host?: string; port?: number; dbName?: string } | undefined, index: number): string {
  if (!config) return `replica ${index}`;
  if (config.name) return config.name;
  if (config.clientUrl) {
    try {
      const url = new URL(config.clientUrl);
      return `${url.hostname}:${url.port || 5432}${url.pathname}`;
    } catch {
      return `replica ${index}`;
    }
  }
  return `${config.host ?? "localhost"}:${config.port ?? 5432}${config.dbName ? `/${config.dbName}` : ""}`;
}
