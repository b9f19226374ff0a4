/**
 * The in-process race guard. A read that started before a write and finishes after it must not put
 * what it read (possibly from before the write) into the cache. Every invalidation bumps a counter
 * and records it against the token, the user, or everything; a read remembers the counter when it
 * starts and fills the cache only if nothing it touched was invalidated since.
 *
 * Only invalidations that happen while some read is in flight can matter, so the records are
 * forgotten whenever no read is in flight: memory stays bounded by what overlaps live reads.
 */
export class Generations {
  private counter = 0;
  private clearedAt = 0;
  private readonly tokens = new Map<string, number>();
  private readonly users = new Map<string, number>();
  private inFlight = 0;

  /** Starts a read; pass the returned ticket to `isFresh` and then to `end`. */
  begin(): number {
    this.inFlight++;
    return this.counter;
  }

  end(): void {
    if (--this.inFlight === 0) {
      this.tokens.clear();
      this.users.clear();
    }
  }

  bumpToken(id: string): void {
    this.counter++;
    if (this.inFlight > 0) this.tokens.set(id, this.counter);
  }

  bumpUser(userId: string): void {
    this.counter++;
    if (this.inFlight > 0) this.users.set(userId, this.counter);
  }

  bumpAll(): void {
    this.clearedAt = ++this.counter;
  }

  /** True when neither the token, nor the user (when known), nor everything was invalidated since `ticket`. */
  isFresh(ticket: number, id: string, userId?: string): boolean {
    if (this.clearedAt > ticket) return false;
    if ((this.tokens.get(id) ?? 0) > ticket) return false;
    return userId === undefined || (this.users.get(userId) ?? 0) <= ticket;
  }
}
