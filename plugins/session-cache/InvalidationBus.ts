import { randomUUID } from "node:crypto";
import { dropsOf, fenceOf, invalidation, parseMessage, type Fence, type MessageBody } from "./ChannelMessage";
import { Confirmations } from "./Confirmations";
import { checkEviction } from "./evictionCheck";
import { Lease } from "./Lease";
import type { RedisClient } from "./RedisClient";
import type { RedisTier } from "./RedisTier";
import type { Seal } from "./seal";
import { pubSubMode, type PubSubMode } from "./Sharding";
import { withTimeout } from "./withTimeout";

/** What the bus does to this instance's in-process tier when a message arrives. */
export interface BusHandlers {
  dropTokens(ids: readonly string[]): void;
  dropUsers(userIds: readonly string[]): void;
  dropAll(): void;
  /** A write elsewhere changed these users' rows (or anyone's); replicas need its `lsn` (absent: unknown), and its created keys' buckets for a miss. */
  fence?(fence: Fence): void;
  /** The channel is trusted again / no longer trusted. */
  trust?(trusted: boolean): void;
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

const noop = () => undefined;

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
  private readonly confirmations: Confirmations;
  private readonly mode: PubSubMode;
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
    this.confirmations = new Confirmations(tier, seal, options.channel, randomUUID(), options.ackTimeoutMs);
    this.lease = new Lease(options.leaseMs);
    this.mode = pubSubMode(redis, options.cluster, `${options.prefix ?? options.channel}seq`);
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
    const subscriber = this.mode.duplicate(this.redis);
    this.subscriber = subscriber;
    subscriber.on(this.mode.messageEvent, this.onMessage);
    // Connection errors surface as the events below; without a listener ioredis prints them.
    subscriber.on("error", noop);
    this.listen(subscriber);
    if (subscriber.status === "wait") subscriber.connect().catch(noop);
  }

  private listen(connection: RedisClient): void {
    for (const event of this.mode.lostEvents) connection.on(event, this.onConnectionLost);
    // Try to recover as soon as a connection is back rather than at the next tick.
    connection.on("ready", this.onReady);
  }

  private unlisten(connection: RedisClient | undefined): void {
    for (const event of this.mode.lostEvents) connection?.removeListener(event, this.onConnectionLost);
    connection?.removeListener("ready", this.onReady);
  }

  /** A subscriber that keeps failing to subscribe (see PubSubMode.stuck): a fresh connection starts clean. */
  private replaceSubscriber(): void {
    const old = this.subscriber;
    this.unlisten(old);
    old?.removeListener(this.mode.messageEvent, this.onMessage);
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
    if (this.mode.newEpochOnAnyFailure) this.connectionLost = true;
    if (this.trusted) {
      this.trusted = false;
      this.recovered = deferred();
      this.handlers.trust?.(false);
    }
    this.handlers.dropAll();
  }

  /**
   * Drops tokens and users' sessions in Redis and on every instance. Never rejects: a write must
   * not fail because Redis is down (see the class comment for what happens instead). `hold`: no
   * instance caches these tokens and users in Redis for a while (see RedisTier.invalidate).
   */
  async invalidate(ids: readonly string[], userIds: readonly string[], fence?: Fence, hold = false): Promise<void> {
    if (this.closed) return;
    if (!this.tier.ready) return this.undelivered();
    try {
      await this.broadcast(invalidation(ids, userIds, fence), ids, userIds, hold);
    } catch {
      await this.undelivered();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.trusted = false;
    clearInterval(this.timer);
    this.confirmations.cancel();
    this.lease.close();
    this.recovered.resolve();
    for (const connection of [this.redis, this.subscriber]) this.unlisten(connection);
    this.subscriber?.removeListener(this.mode.messageEvent, this.onMessage);
    this.subscriber?.disconnect();
  }

  /** Deletes in Redis, publishes, and waits until every subscriber confirmed (or `ackTimeoutMs`). */
  private broadcast(body: MessageBody, ids: readonly string[], userIds: readonly string[], hold = false): Promise<void> {
    return this.confirmations.publish(body, ids, userIds, hold);
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
      this.mode.slot?.steady().then(
        (steady) => steady || this.distrust(),
        () => this.distrust(),
      );
    }
  }

  /** Publishes a heartbeat to our own channel; resolves to the time it was sent. */
  private async heartbeat(): Promise<number> {
    const sentAt = performance.now();
    const own = this.confirmations.channel;
    await this.tier.publish(own, `h:${this.seal.seal(own, String(sentAt))}`);
    return sentAt;
  }

  private async recover(): Promise<void> {
    const subscriber = this.subscriber;
    if (this.recovering || this.closed || !subscriber) return;
    if (this.redis.status !== "ready" || subscriber.status !== "ready") return;
    this.recovering = true;
    const breaks = this.breaks;
    try {
      await withTimeout(this.mode.subscribe(subscriber, this.options.channel, this.confirmations.channel), this.options.commandTimeoutMs);
      const slot = this.mode.slot;
      if (slot && !(await withTimeout(slot.steady(), this.options.commandTimeoutMs))) return;
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
      void checkEviction(this.redis);
    } catch {
      // Still unhealthy: keep bypassing; the next tick tries again.
      if (this.mode.stuck(++this.failedRecoveries) && !this.closed) {
        this.failedRecoveries = 0;
        this.replaceSubscriber();
      }
    } finally {
      this.recovering = false;
    }
  }

  private readonly onMessage = (channel: string, text: string): void => {
    if (channel === this.confirmations.channel) {
      const body = this.seal.open(channel, text.slice(2));
      if (body === undefined) return; // forged or altered: ignored
      if (text.startsWith("h:")) this.onHeartbeat(Number(body));
      else if (text.startsWith("a:")) this.confirmations.received(body);
      return;
    }
    if (channel !== this.options.channel) return;
    const message = parseMessage(text);
    if (!message) return;
    if (message.a) this.handlers.dropAll();
    else {
      const { ids, userIds } = dropsOf(message);
      this.handlers.dropTokens(ids);
      this.handlers.dropUsers(userIds);
    }
    // Before confirming: once the writer returns, replica reads here must already respect its write.
    const fence = fenceOf(message);
    if (fence && message.o !== this.confirmations.instance) this.handlers.fence?.(fence);
    if (typeof message.m !== "string") return;
    // Confirm only after dropping: the writer returns once everyone confirmed.
    this.confirmations.confirm(message.o, message.m)?.catch(() => this.distrust());
  };

  private onHeartbeat(sentAt: number): void {
    // Our own heartbeats were sent in the past on our own clock: anything else cannot vouch for the lease.
    if (!Number.isFinite(sentAt) || sentAt > performance.now()) return;
    this.lease.received(sentAt);
    if (this.failingSince !== undefined && sentAt > this.failingSince) this.failingSince = undefined;
  }
}
