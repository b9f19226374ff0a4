import { KnexTimeoutError } from "knex";

interface Waiter<C> {
  resolve(raw: C): void;
  reject(error: unknown): void;
  deadline: number;
}

/**
 * Kit calls waiting for a held connection (HeldConnections), first come first served, under one
 * timer for the whole queue set to the head's deadline: a waiter past tarn's acquire timeout fails
 * with tarn's own error, as it would have waiting at tarn.
 */
export class WaiterQueue<C> {
  private readonly waiters: Waiter<C>[] = [];
  private expiry: NodeJS.Timeout | undefined;

  get length(): number {
    return this.waiters.length;
  }

  push(resolve: (raw: C) => void, reject: (error: unknown) => void, timeoutMillis: number): void {
    this.waiters.push({ resolve, reject, deadline: Date.now() + timeoutMillis });
    this.arm();
  }

  /** The longest waiter, out of the queue; the timer stops with the last one. */
  shift(): Waiter<C> | undefined {
    const waiter = this.waiters.shift();
    if (this.waiters.length === 0) this.disarm();
    return waiter;
  }

  /** Every waiter fails with `error` (the pool is being destroyed). */
  failAll(error: unknown): void {
    this.disarm();
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  private arm(): void {
    if (this.expiry !== undefined) return;
    const head = this.waiters[0];
    if (head) this.expiry = setTimeout(this.expire, Math.max(0, head.deadline - Date.now())).unref();
  }

  private disarm(): void {
    if (this.expiry !== undefined) clearTimeout(this.expiry);
    this.expiry = undefined;
  }

  private readonly expire = (): void => {
    this.expiry = undefined;
    const now = Date.now();
    while (this.waiters.length > 0 && this.waiters[0]!.deadline <= now) {
      this.waiters.shift()!.reject(new KnexTimeoutError("Knex: Timeout acquiring a connection."));
    }
    this.arm();
  };
}
