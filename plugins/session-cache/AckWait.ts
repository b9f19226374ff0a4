/**
 * Counts confirmations of one invalidation message. Confirmations may arrive before PUBLISH has
 * even told us how many subscribers there are (they come back on another connection), so they are
 * counted from the start and compared once the number is known.
 */
export class AckWait {
  private received = 0;
  private expected = Number.POSITIVE_INFINITY;
  private done: (() => void) | undefined;

  ack(): void {
    this.received++;
    if (this.received >= this.expected) this.done?.();
  }

  /** Resolves when `expected` confirmations arrived (true) or after `timeoutMs` (false). */
  until(expected: number, timeoutMs: number): Promise<boolean> {
    this.expected = expected;
    if (this.received >= expected) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      timer.unref();
      const finish = (confirmed: boolean) => {
        clearTimeout(timer);
        this.done = undefined;
        resolve(confirmed);
      };
      this.done = () => finish(true);
    });
  }

  /** Stop waiting now (the cache is closing). */
  cancel(): void {
    this.done?.();
  }
}
