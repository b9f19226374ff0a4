import { randomUUID } from "node:crypto";
import { AckWait } from "./AckWait";
import { Lease } from "./Lease";
import type { RedisClient } from "./RedisClient";
import type { RedisTier } from "./RedisTier";
import type { Seal } from "./seal";
import { SlotWatch } from "./SlotWatch";
import { withTimeout } from "./withTimeout";

/** What the bus does to this instance's in-process tier when a message arrives. */
export interface BusHandlers {
  dropTokens(ids: readonly string[]): void;
  dropUsers(userIds: readonly string[]): void;
  dropAll(): void;
  /** A write elsewhere changed these users' rows (or anyone's); replicas need `lsn` (absent: unknown). */
  fence?(userIds: readonly string[] | "all", lsn: string | undefined, created: boolean): void;
  /** The channel is trusted again / no longer trusted. */
  trust?(trusted: boolean): void;
}

/** A replica fence carried by a message: the users a write touched ("*": anyone), and its WAL position. */
export interface Fence {
  userIds: readonly string[] | "all";
  lsn: string | undefined;
  /** The write made rows findable by a new key (a replica's "not found" needs `lsn`). */
  created: boolean;
}

export interface BusOptions {
  channel: string;
  commandTimeoutMs: number;
  leaseMs: number;
  heartbeatMs: number;
  ackTimeoutMs: number;
  /** Redis Cluster: sharded pub/sub, node events, and the cache's slot watched. */
  cluster?: boolean;
  /** Any key of the cache (on Cluster: to find its slot). */
  prefix?: string;
}

/** A message on the channel: origin instance, message id, token ids, user ids, or "drop everything". */
interface Message {
  o: string;
  m?: string;
  t?: string[];
  u?: string[];
  a?: 1;
  /** Replica fence: user ids, or "*" for anyone. */
  f?: string[] | "*";
  /** Replica fence: the WAL position (absent with `f`: unknown, wait for the next primary sample). */
  l?: string;
  /** Replica fence: the write created rows. */
  c?: 1;
}

const noop = () => undefined;
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
const CONNECTION_LOST_EVENTS = ["close", "end", "reconnecting"];
/** A Cluster client stays "ready" while one of its nodes fails: these say so. */
const CLUSTER_NODE_EVENTS = ["-node", "node error"];

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Cross-instance invalidation over Redis pub/sub, and the proof that this instance may trust its
 * in-process tier. Cached entries are served only while `usable()`:
 *
 * - both connections (the app's client and the subscriber duplicated from it) are `ready`;
 * - the subscription was proven since anything last went wrong: a heartbeat published after
 *   (re)subscribing came back, and the in-process tier was cleared then (messages published while
 *   we were not listening are lost, so anything cached before may be stale);
 * - the heartbeat lease is current (see Lease): a half-open subscriber that silently stopped
 *   receiving stops serving within `leaseMs`.
 *
 * A write returns once every subscriber confirmed its invalidation, or after `ackTimeoutMs`
 * (>= `leaseMs`): an instance that did not confirm has by then either processed the message (it
 * renewed its lease with a later heartbeat, delivered after it) or stopped serving. So once
 * `deleteSession` returns, no instance serves that session (clocks running at the same rate).
 *
 * When an invalidation cannot reach Redis, this instance turns dirty: it bypasses until Redis
 * answers again, then bumps the Redis epoch (values cached before become unreachable) and has every
 * instance clear its in-process tier before it trusts itself again. The write meanwhile waits for
 * that recovery, or for a lease to pass while Redis stays away (instances that lost Redis as well
 * have stopped serving by then). Not covered: only this instance loses Redis while others keep it;
 * they serve what they cached until this instance recovers or `ttlMs` passes.
 */
export class InvalidationBus {
  private readonly instance = randomUUID();
  private readonly ackChannel: string;
  private readonly lease: Lease;
  private subscriber: RedisClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private trusted = false;
  /** An invalidation could not be delivered: every instance must clear when we recover. */
  private dirty = false;
  /** A connection dropped since we last trusted ourselves: Redis may hold values that missed invalidations. */
  private connectionLost = false;
  /** Bumped by every distrust: a recovery that overlapped one does not count. */
  private breaks = 0;
  /** The first failure since a heartbeat (sent after it) last came back. */
  private failingSince: number | undefined;
  private recovered = deferred();
  private recovering = false;
  private closed = false;
  private messageCount = 0;
  private readonly acks = new Map<string, AckWait>();
  private readonly slot: SlotWatch | undefined;
  /** Recoveries that failed in a row: on Cluster, a few mean the subscriber is stuck and is replaced. */
  private failedRecoveries = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly tier: RedisTier,
    /** Heartbeats and confirmations carry a MAC: a forged one could extend a lease or end a write's wait early. */
    private readonly seal: Seal,
    private readonly options: BusOptions,
    private readonly handlers: BusHandlers,
  ) {
    this.ackChannel = `${options.channel}:ack:${this.instance}`;
    this.lease = new Lease(options.leaseMs);
    if (options.cluster) this.slot = new SlotWatch(redis, `${options.prefix ?? options.channel}seq`);
  }

  /** Opens the subscriber and starts the heartbeat; idempotent. */
  start(): void {
    if (this.subscriber || this.closed) return;
    this.listen(this.redis);
    this.subscribe();
    if (this.redis.status === "wait") this.redis.connect().catch(noop);
    this.timer = setInterval(() => this.tick(), this.options.heartbeatMs);
    this.timer.unref();
    this.tick();
  }

  /** Opens the subscriber connection (a duplicate of the app's client) and listens to it. */
  private subscribe(): void {
    // On Cluster, ioredis routes sharded subscriptions to the slot's master only with shardedSubscribers.
    const subscriber = this.options.cluster ? this.redis.duplicate([], { shardedSubscribers: true }) : this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on(this.options.cluster ? "smessage" : "message", this.onMessage);
    // Connection errors surface as the events below; without a listener ioredis prints them.
    subscriber.on("error", noop);
    this.listen(subscriber);
    if (subscriber.status === "wait") subscriber.connect().catch(noop);
  }

  private listen(connection: RedisClient): void {
    for (const event of CONNECTION_LOST_EVENTS) connection.on(event, this.onConnectionLost);
    if (this.options.cluster) for (const event of CLUSTER_NODE_EVENTS) connection.on(event, this.onConnectionLost);
    // Try to recover as soon as a connection is back rather than at the next tick.
    connection.on("ready", this.onReady);
  }

  private unlisten(connection: RedisClient | undefined): void {
    for (const event of [...CONNECTION_LOST_EVENTS, ...CLUSTER_NODE_EVENTS]) connection?.removeListener(event, this.onConnectionLost);
    connection?.removeListener("ready", this.onReady);
  }

  /**
   * ioredis's sharded subscriber group can lose the subscriber of a master that failed and came
   * back (SSUBSCRIBE then throws): a fresh subscriber connection starts clean.
   */
  private replaceSubscriber(): void {
    const old = this.subscriber;
    this.unlisten(old);
    old?.removeListener("smessage", this.onMessage);
    old?.disconnect();
    this.subscribe();
  }

  /** True when cached entries may be served (see the class comment). */
  usable(): boolean {
    if (!this.trusted) return false;
    if (this.redis.status === "ready" && this.subscriber?.status === "ready" && this.lease.current) return true;
    this.distrust();
    return false;
  }

  /** Stops serving cached entries until a recovery proves the channel again. */
  distrust(): void {
    this.breaks++;
    this.failingSince ??= performance.now();
    // On Cluster any failure may be a failover to a replica that missed invalidations: new epoch.
    if (this.options.cluster) this.connectionLost = true;
    if (this.trusted) {
      this.trusted = false;
      this.recovered = deferred();
      this.handlers.trust?.(false);
    }
    this.handlers.dropAll();
  }

  /**
   * Drops tokens and users' sessions in Redis and on every instance. Never rejects: a write must
   * not fail because Redis is down (see the class comment for what happens instead).
   */
  async invalidate(ids: readonly string[], userIds: readonly string[], fence?: Fence): Promise<void> {
    if (this.closed) return;
    if (!this.tier.ready) return this.undelivered();
    const carried: Omit<Message, "o" | "m"> = fence ? { f: fence.userIds === "all" ? "*" : [...fence.userIds], ...(fence.lsn !== undefined && { l: fence.lsn }), ...(fence.created && { c: 1 as const }) } : {};
    try {
      await this.broadcast({ t: [...ids], u: [...userIds], ...carried }, ids, userIds);
    } catch {
      await this.undelivered();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.trusted = false;
    clearInterval(this.timer);
    for (const wait of this.acks.values()) wait.cancel();
    this.lease.close();
    this.recovered.resolve();
    for (const connection of [this.redis, this.subscriber]) this.unlisten(connection);
    this.subscriber?.removeListener(this.options.cluster ? "smessage" : "message", this.onMessage);
    this.subscriber?.disconnect();
  }

  /** Deletes in Redis, publishes, and waits until every subscriber confirmed (or `ackTimeoutMs`). */
  private async broadcast(body: Omit<Message, "o" | "m">, ids: readonly string[], userIds: readonly string[]): Promise<void> {
    const id = String(++this.messageCount);
    const wait = new AckWait();
    this.acks.set(id, wait);
    try {
      const message: Message = { o: this.instance, m: id, ...body };
      const receivers = await this.tier.invalidate(ids, userIds, this.options.channel, JSON.stringify(message));
      await wait.until(receivers, this.options.ackTimeoutMs);
    } finally {
      this.acks.delete(id);
    }
  }

  private async undelivered(): Promise<void> {
    this.dirty = true;
    this.distrust();
    // Redis may have kept answering others for up to a heartbeat period after our first failure.
    const left = this.failingSince! + this.options.leaseMs + this.options.heartbeatMs - performance.now();
    if (left > 0 && !this.closed) await withTimeout(this.recovered.promise, left).catch(noop);
  }

  private readonly onConnectionLost = (): void => {
    this.connectionLost = true;
    this.distrust();
  };

  private readonly onReady = (): void => {
    if (!this.trusted && !this.closed) void this.recover();
  };

  private tick(): void {
    if (this.closed) return;
    if (!this.trusted) void this.recover();
    else if (this.usable()) {
      this.heartbeat().catch(() => this.distrust());
      this.slot?.steady().then(
        (steady) => steady || this.distrust(),
        () => this.distrust(),
      );
    }
  }

  /** Publishes a heartbeat to our own channel; resolves to the time it was sent. */
  private async heartbeat(): Promise<number> {
    const sentAt = performance.now();
    await this.tier.publish(this.ackChannel, `h:${this.seal.seal(this.ackChannel, String(sentAt))}`);
    return sentAt;
  }

  private async recover(): Promise<void> {
    const subscriber = this.subscriber;
    if (this.recovering || this.closed || !subscriber) return;
    if (this.redis.status !== "ready" || subscriber.status !== "ready") return;
    this.recovering = true;
    const breaks = this.breaks;
    try {
      const subscribing = this.options.cluster ? subscriber.ssubscribe!(this.options.channel, this.ackChannel) : subscriber.subscribe(this.options.channel, this.ackChannel);
      await withTimeout(subscribing, this.options.commandTimeoutMs);
      if (this.slot && !(await withTimeout(this.slot.steady(), this.options.commandTimeoutMs))) return;
      if (this.dirty || this.connectionLost) await this.tier.bumpEpoch();
      if (this.dirty) await this.broadcast({ a: 1 }, [], []);
      const sentAt = await this.heartbeat();
      await this.lease.arrival(sentAt, this.options.commandTimeoutMs);
      if (breaks !== this.breaks || this.closed) return;
      this.dirty = false;
      this.connectionLost = false;
      this.failingSince = undefined;
      this.handlers.dropAll();
      this.trusted = true;
      this.failedRecoveries = 0;
      this.recovered.resolve();
      this.handlers.trust?.(true);
    } catch {
      // Still unhealthy: keep bypassing; the next tick tries again.
      if (this.options.cluster && ++this.failedRecoveries >= 3 && !this.closed) {
        this.failedRecoveries = 0;
        this.replaceSubscriber();
      }
    } finally {
      this.recovering = false;
    }
  }

  private readonly onMessage = (channel: string, text: string): void => {
    if (channel === this.ackChannel) {
      const body = this.seal.open(this.ackChannel, text.slice(2));
      if (body === undefined) return; // forged or altered: ignored
      if (text.startsWith("h:")) this.onHeartbeat(Number(body));
      else if (text.startsWith("a:")) this.acks.get(body)?.ack();
      return;
    }
    if (channel !== this.options.channel) return;
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (message === null || typeof message !== "object" || typeof message.o !== "string") return;
    if (message.a) this.handlers.dropAll();
    else {
      this.handlers.dropTokens(strings(message.t));
      this.handlers.dropUsers(strings(message.u));
    }
    // Before confirming: once the writer returns, replica reads here must already respect its write.
    if (message.f !== undefined && message.o !== this.instance) {
      this.handlers.fence?.(message.f === "*" ? "all" : strings(message.f), typeof message.l === "string" ? message.l : undefined, message.c === 1);
    }
    if (typeof message.m !== "string") return;
    // Confirm only after dropping: the writer returns once everyone confirmed.
    if (message.o === this.instance) this.acks.get(message.m)?.ack();
    else {
      const ackChannel = `${this.options.channel}:ack:${message.o}`;
      this.tier.publish(ackChannel, `a:${this.seal.seal(ackChannel, message.m)}`).catch(() => this.distrust());
    }
  };

  private onHeartbeat(sentAt: number): void {
    // Our own heartbeats were sent in the past on our own clock: anything else cannot vouch for the lease.
    if (!Number.isFinite(sentAt) || sentAt > performance.now()) return;
    this.lease.received(sentAt);
    if (this.failingSince !== undefined && sentAt > this.failingSince) this.failingSince = undefined;
  }
}
