import { DROPPED, owners, PoolClosedError, type Owner } from "./connectionOwners";
import { holdable, isTarn, type HeldClient, type TarnPool } from "./tarnPool";
import { WaiterQueue } from "./WaiterQueue";

export type { HeldClient };

/** A connection the kit got from tarn and has not given back yet. */
interface Entry<C> {
  readonly raw: C;
  busy: boolean;
  /** The sweep tick it was last handed out in: idle past the next tick, it goes back to tarn. */
  tick: number;
}

/** An idle held connection goes back to tarn after one to two of these (ms) without use. */
const IDLE_MILLIS = 1_000;

/**
 * Raw connections the kit holds from knex's tarn pool between its statements, so that the hot path
 * neither pays tarn's acquire (two timed `PendingOperation`s, an async validation, a `Resource` per
 * release: about 5 KB and two timers per statement) nor waits a tick for it.
 *
 * What tarn guarantees still holds: every connection here is one tarn counts as used, so the pool's
 * `max` bounds them; a kit call that finds none idle asks tarn when tarn can give one at once (or
 * the kit holds none busy), else waits for the next busy kit connection, never longer than tarn's
 * acquire timeout. Held connections go back to tarn as soon as anyone else asks tarn for one (the app's own
 * MikroORM queries share the pool), after a short idle time, when broken or past the pool's
 * lifetime, and when the pool is destroyed (`orm.close()` waits for them otherwise). A pool with its
 * own `validate` hook or a connection-config provider is never held from: tarn validates each use.
 */
export class HeldConnections<C extends object> implements Owner {
  private readonly entries = new Map<C, Entry<C>>();
  private readonly idle: Entry<C>[] = [];
  private readonly waiters = new WaiterQueue<C>();
  private busy = 0;
  /** Requests the kit has open at tarn. */
  private leasing = 0;
  /** Tarn events of requests that are not the kit's (the app's): while any is open, connections go back. */
  private readonly others = new Set<number>();
  private asking = false;
  private closed = false;
  private tick = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly lifetime: boolean;

  private constructor(
    private readonly client: HeldClient<C>,
    private readonly pool: TarnPool,
  ) {
    this.lifetime = typeof client.config?.pool?.maxConnectionLifetimeMillis === "number";
    pool.on("acquireRequest", this.onRequest);
    pool.on("acquireSuccess", this.onSettled);
    pool.on("acquireFail", this.onSettled);
    pool.on("poolDestroyRequest", this.onDestroy);
  }

  /** The held set of `client`'s current pool, or undefined when that pool must not be held from. */
  static of<C extends object>(client: HeldClient<C>): HeldConnections<C> | undefined {
    const pool = client.pool as TarnPool | undefined;
    if (!pool || pool.destroyed || !isTarn(pool)) return undefined;
    let held = registry.get(pool);
    if (held === undefined) {
      held = holdable(client) ? new HeldConnections(client, pool) : null;
      registry.set(pool, held);
    }
    return (held as HeldConnections<C> | null) ?? undefined;
  }

  /**
   * Gives every idle connection back to tarn (`kit.close()` on an app's ORM), and those its
   * requests still open at tarn bring, once they come: nothing stays held.
   */
  static async releaseIdle(client: { pool?: unknown }): Promise<void> {
    const held = client.pool ? registry.get(client.pool as TarnPool) : undefined;
    if (!held) return;
    held.releaseIdle();
    while (held.leasing > 0) await new Promise<void>((resolve) => held.settled.push(resolve));
    held.releaseIdle();
  }

  /** Called as each request at tarn settles (see `releaseIdle`). */
  private settled: Array<() => void> = [];

  /** A connection: an idle held one at once, else the next one a busy kit call gives back, else tarn's. */
  acquire(): Promise<C> {
    const raw = this.takeIdle();
    if (raw !== undefined) return Promise.resolve(raw);
    if (this.closed) return Promise.reject(new PoolClosedError("the ORM's connection pool is closed"));
    return new Promise<C>((resolve, reject) => this.wait(resolve, reject));
  }

  /**
   * `acquire` with callbacks instead of a promise: `ready` gets the connection, synchronously from
   * the `release` that frees it when it is a busy kit connection (so one statement's end starts the
   * next caller's statement, as pg's own pool does, with no promise step in between); `fail` gets
   * tarn's error, the acquire timeout or a closed pool. Neither may throw.
   */
  wait(ready: (raw: C) => void, fail: (error: unknown) => void): void {
    const raw = this.takeIdle();
    if (raw !== undefined) return ready(raw);
    if (this.closed) return fail(new PoolClosedError("the ORM's connection pool is closed"));
    this.waiters.push(ready, fail, this.pool.acquireTimeoutMillis);
    // Ask tarn when it can give a connection now (a free one, or room for a new one: as tarn
    // itself would), or when the kit holds none busy (tarn then queues the request under its
    // timeout); with the pool at its max, the next busy kit connection to come back serves it.
    if (this.waiters.length > this.leasing && (this.busy === 0 || this.tarnCanServe())) this.lease();
  }

  /** An idle held connection that is still usable (the unusable ones go back to tarn), or undefined. */
  takeIdle(): C | undefined {
    const idle = this.idle;
    while (idle.length > 0) {
      const entry = idle.pop()!;
      if (this.usable(entry.raw)) {
        entry.busy = true;
        entry.tick = this.tick;
        this.busy++;
        return entry.raw;
      }
      this.giveBack(entry);
    }
    return undefined;
  }

  /** Takes a connection back from a kit call: to the next local waiter, to tarn, or idle. */
  release(raw: object, broken: boolean): void {
    const entry = this.entries.get(raw as C);
    if (entry === undefined || !entry.busy) return;
    entry.busy = false;
    this.busy--;
    if (broken) (raw as { __knex__disposed?: unknown }).__knex__disposed ??= DROPPED;
    if (broken || this.closed || this.others.size > 0 || !this.usable(entry.raw)) {
      this.giveBack(entry);
      this.keepWaitersServed();
      return;
    }
    this.deliver(entry);
  }

  private deliver(entry: Entry<C>): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      entry.busy = true;
      entry.tick = this.tick;
      this.busy++;
      waiter.resolve(entry.raw);
      return;
    }
    this.idle.push(entry);
    this.sweeper ??= setTimeout(this.sweep, IDLE_MILLIS).unref();
  }

  /** One request at tarn for the local queue: its connection goes to the head waiter (or idle). */
  private lease(): void {
    this.leasing++;
    this.asking = true;
    let request: Promise<C>;
    try {
      request = this.client.acquireConnection();
    } catch (error) {
      request = Promise.reject(error);
    } finally {
      this.asking = false;
    }
    request.then(
      (raw) => {
        this.leasing--;
        this.notifySettled();
        const entry: Entry<C> = { raw, busy: false, tick: this.tick };
        this.entries.set(raw, entry);
        owners.set(raw, this);
        // No waiter left (a busy kit connection served it first): back to tarn rather than held.
        if (this.closed || this.waiters.length === 0) this.giveBack(entry);
        else this.deliver(entry);
      },
      (error: unknown) => {
        this.leasing--;
        this.notifySettled();
        // Tarn's own timeout or a connect failure. With busy kit connections still to come back the
        // waiters keep waiting for them (under their own deadline); else the longest waiter gets it.
        if (this.busy + this.leasing > 0) return;
        this.waiters.shift()?.reject(error);
        this.keepWaitersServed();
      },
    );
  }

  private notifySettled(): void {
    if (this.settled.length === 0) return;
    const waiting = this.settled;
    this.settled = [];
    // After this request's connection was placed: queued as microtasks, they run once it is.
    for (const resolve of waiting) resolve();
  }

  /**
   * After a connection went back to tarn: when nothing else is on its way to the waiters, one
   * request at tarn (more would queue there and time out while busy kit connections serve them).
   */
  private keepWaitersServed(): void {
    if (!this.closed && this.waiters.length > 0 && this.busy + this.leasing === 0) this.lease();
  }

  /** To the tarn pool it came from (not the client's current one: after a reconnect that is another pool). */
  private giveBack(entry: Entry<C>): void {
    this.entries.delete(entry.raw);
    owners.delete(entry.raw);
    this.pool.release(entry.raw);
  }

  /** Not marked broken by knex (its error/end listeners), not past its lifetime, valid to knex's dialect. */
  private usable(raw: C): boolean {
    const r = raw as { __knex__disposed?: unknown; __knexLifetimeLimit?: number };
    if (r.__knex__disposed) return false;
    if (this.lifetime && r.__knexLifetimeLimit && performance.now() > r.__knexLifetimeLimit) return false;
    return this.client.validateConnection(raw) === true;
  }

  private tarnCanServe(): boolean {
    const pool = this.pool;
    return pool.free.length > pool.pendingAcquires.length || pool.used.length + pool.pendingCreates.length < pool.max;
  }

  private releaseIdle(): void {
    for (const entry of this.idle.splice(0)) this.giveBack(entry);
  }

  /** Someone asked tarn for a connection: if it is not the kit, hand it one of the idle ones first. */
  private readonly onRequest = (eventId: number): void => {
    if (this.asking) return;
    this.others.add(eventId);
    const pool = this.pool;
    if (this.idle.length > 0 && pool.free.length <= pool.pendingAcquires.length) this.giveBack(this.idle.pop()!);
  };

  private readonly onSettled = (eventId: number): void => {
    this.others.delete(eventId);
  };

  /** `orm.close()`: tarn waits for every used connection, so the held ones go back now; waiters fail as on a closed pool. */
  private readonly onDestroy = (): void => {
    this.closed = true;
    registry.delete(this.pool);
    this.releaseIdle();
    if (this.sweeper) clearTimeout(this.sweeper);
    this.sweeper = undefined;
    this.waiters.failAll(new PoolClosedError("the ORM's connection pool is closed"));
    const pool = this.pool;
    pool.removeListener("acquireRequest", this.onRequest);
    pool.removeListener("acquireSuccess", this.onSettled);
    pool.removeListener("acquireFail", this.onSettled);
    pool.removeListener("poolDestroyRequest", this.onDestroy);
  };

  /** Idle connections not handed out since the last sweep go back to tarn (its own idle reaping then applies). */
  private readonly sweep = (): void => {
    this.sweeper = undefined;
    const tick = this.tick++;
    const idle = this.idle;
    let kept = 0;
    for (const entry of idle) {
      if (entry.tick < tick) this.giveBack(entry);
      else idle[kept++] = entry;
    }
    idle.length = kept;
    if (kept > 0) this.sweeper = setTimeout(this.sweep, IDLE_MILLIS).unref();
  };
}

/** Held sets by tarn pool (null: that pool is not held from); shared by every dialect on one pool. */
const registry = new WeakMap<TarnPool, HeldConnections<object> | null>();
