/**
 * The proof that this instance's subscription delivers: heartbeats it publishes to its own channel
 * and receives back. Each one received extends the lease to `sentAt + leaseMs` (measured from when
 * it was sent, so delivery delays only shorten the lease). Redis delivers a subscriber's messages in
 * order, so a heartbeat received also proves every message published before it was received.
 */
export class Lease {
  private until = 0;
  private latest = Number.NEGATIVE_INFINITY;
  private readonly waiters = new Set<{ sentAt: number; arrived: () => void }>();

  constructor(private readonly leaseMs: number) {}

  /** True while a heartbeat received recently enough vouches for the subscription. */
  get current(): boolean {
    return performance.now() < this.until;
  }

  /** A heartbeat came back. */
  received(sentAt: number): void {
    if (!Number.isFinite(sentAt)) return;
    this.latest = Math.max(this.latest, sentAt);
    this.until = Math.max(this.until, sentAt + this.leaseMs);
    for (const waiter of this.waiters) if (waiter.sentAt <= sentAt) waiter.arrived();
  }

  /** Resolves when a heartbeat sent at or after `sentAt` came back; rejects after `timeoutMs`. */
  arrival(sentAt: number, timeoutMs: number): Promise<void> {
    if (this.latest >= sentAt) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error("the heartbeat did not come back"));
      }, timeoutMs);
      timer.unref();
      const waiter = {
        sentAt,
        arrived: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Releases anyone waiting (the cache is closing). */
  close(): void {
    for (const waiter of [...this.waiters]) waiter.arrived();
  }
}
