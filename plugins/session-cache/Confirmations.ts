import { AckWait } from "./AckWait";
import type { MessageBody } from "./ChannelMessage";
import type { RedisTier } from "./RedisTier";
import type { Seal } from "./seal";

/**
 * The confirmation wait: a write's invalidation is published with this instance's id and a message
 * id, every instance that receives it confirms on the writer's own ack channel (sealed: a forged
 * confirmation could end a write's wait early), and the write waits until as many confirmations
 * came back as PUBLISH counted receivers, or `timeoutMs`. The ack channel also carries this
 * instance's heartbeats (see InvalidationBus).
 */
export class Confirmations {
  /** This instance's ack channel. */
  readonly channel: string;
  private readonly waits = new Map<string, AckWait>();
  private count = 0;

  constructor(
    private readonly tier: RedisTier,
    private readonly seal: Seal,
    /** The invalidation channel. */
    private readonly invalidations: string,
    readonly instance: string,
    private readonly timeoutMs: number,
  ) {
    this.channel = this.ackChannelOf(instance);
  }

  /** Deletes in Redis, publishes `body`, and waits until every subscriber confirmed (or the timeout). */
  async publish(body: MessageBody, ids: readonly string[], userIds: readonly string[], hold = false): Promise<void> {
    const id = String(++this.count);
    const wait = new AckWait();
    this.waits.set(id, wait);
    try {
      const message = { o: this.instance, m: id, ...body };
      const receivers = await this.tier.invalidate(ids, userIds, this.invalidations, JSON.stringify(message), hold);
      await wait.until(receivers, this.timeoutMs);
    } finally {
      this.waits.delete(id);
    }
  }

  /** A verified confirmation of our message `id` came back. */
  received(id: string): void {
    this.waits.get(id)?.ack();
  }

  /** Confirms message `id` of instance `origin`: our own is counted at once, another's is sent to its ack channel. */
  confirm(origin: string, id: string): Promise<unknown> | undefined {
    if (origin === this.instance) {
      this.received(id);
      return undefined;
    }
    const ackChannel = this.ackChannelOf(origin);
    return this.tier.publish(ackChannel, `a:${this.seal.seal(ackChannel, id)}`);
  }

  /** Stops every wait now (the cache is closing). */
  cancel(): void {
    for (const wait of this.waits.values()) wait.cancel();
  }

  private ackChannelOf(instance: string): string {
    return `${this.invalidations}:ack:${instance}`;
  }
}
