import { toAdapterError, type ArgsOf, type OperationContext, type PluginHost, type SessionAndUser } from "../../src/plugin-api";
import { cacheable, copyOut, missed, REPORTS, toCached, type CacheResult } from "./cachedValues";
import { decode, encode } from "./codec";
import { Generations } from "./Generations";
import type { Fence } from "./ChannelMessage";
import { InvalidationBus } from "./InvalidationBus";
import { WriteLog } from "./WriteLog";
import { ABSENT, LocalTier, type CachedSession } from "./LocalTier";
import type { ResolvedOptions } from "./options";
import { RedisTier, type RedisRead } from "./RedisTier";
import { snapshot } from "./snapshot";
import { tokenId } from "./keys";
import { extendsExpiryOnly, targetsFromArgs, targetsFromResult, wellFormed } from "./writeTargets";

export type { CacheResult } from "./cachedValues";

export interface SessionCacheStats {
  hits: number;
  misses: number;
  bypasses: number;
  /** Lookups whose Redis entry failed verification (forged or altered) and went to the database. */
  rejected: number;
  /** Entries in this instance's in-process tier (negative entries included). */
  size: number;
}

/** One shared lookup: `value` for the caller that ran it, `json` for the callers that joined it. */
interface Flight {
  value?: SessionAndUser | null;
  json?: string | null;
  source: CacheResult;
}

type Next = () => Promise<unknown>;

/** A read's failure as an AdapterError naming the operation (a hit never fails: it needs none). */
const translateRead = (error: unknown): never => {
  throw toAdapterError(error, "getSessionAndUser");
};

/** How long Redis keeps an invalidation mark: a database read in flight for longer never fills. */
const MARK_TTL_MS = 60_000;

/**
 * The cache behind `sessionCache()`: reads go local tier -> Redis tier -> database, with one
 * database query per token at a time; writes go to the database first, then invalidate locally,
 * in Redis and on every other instance.
 */
export class SessionCache {
  private readonly local: LocalTier;
  private readonly generations = new Generations();
  private readonly flights = new Map<string, Promise<Flight>>();
  private readonly redisTier: RedisTier | undefined;
  private readonly bus: InvalidationBus | undefined;
  private host: PluginHost | undefined;
  private readonly counts = { hits: 0, misses: 0, bypasses: 0, rejected: 0 };
  /** Writes this instance's database layer reported (`replica.write`), to carry to the others. */
  private readonly writes = new WriteLog();

  constructor(private readonly options: ResolvedOptions) {
    this.local = new LocalTier(options.max);
    if (options.redis) {
      this.redisTier = new RedisTier(options.redis, options.seal!, options.prefix, options.commandTimeoutMs, MARK_TTL_MS, options.cluster);
      this.bus = new InvalidationBus(options.redis, this.redisTier, options.seal!, options, {
        dropTokens: (ids) => ids.forEach((id) => this.dropToken(id)),
        dropUsers: (userIds) => userIds.forEach((userId) => this.dropUser(userId)),
        dropAll: () => this.dropAll(),
        fence: ({ userIds, lsn, created, buckets }) => this.host?.emit("replica.fence", { userIds, lsn, created, ...(buckets && { buckets }) }),
        trust: (trusted) => this.host?.emit("replica.broadcast", { active: trusted }),
      });
    }
  }

  setup(host: PluginHost): void {
    this.host = host;
    if (this.bus) {
      // Read replicas: writes here travel with the invalidations; until the channel is trusted,
      // replica reads cannot rely on hearing of other instances' writes.
      host.on("replica.write", (write) => this.writes.add(write));
      host.emit("replica.broadcast", { active: false });
    }
    this.bus?.start();
  }

  close(): Promise<void> | undefined {
    this.dropAll();
    return this.bus?.close();
  }

  stats(): SessionCacheStats {
    return { ...this.counts, size: this.local.size };
  }

  around(ctx: OperationContext, next: Next): Promise<unknown> {
    // Malformed arguments go straight inward: the kit's argument check (innermost) refuses them.
    if (!wellFormed(ctx)) return next();
    if (ctx.operation === "getSessionAndUser") return this.read((ctx.args as ArgsOf<"getSessionAndUser">).sessionToken, next);
    // What it rejects with leaves as an AdapterError naming the operation (see index.ts).
    const operation = ctx.operation;
    return this.write(ctx, next).then(undefined, (error: unknown) => {
      throw toAdapterError(error, operation);
    });
  }

  /** Drops one session everywhere (for changes made outside the kit). */
  async invalidateSession(sessionToken: string): Promise<void> {
    await this.invalidate([tokenId(sessionToken)], []);
  }

  /** Drops every cached session of a user everywhere (for changes made outside the kit). */
  async invalidateUser(userId: string): Promise<void> {
    await this.invalidate([], [userId]);
  }

  private usable(): boolean {
    return this.bus ? this.bus.usable() : true;
  }

  private report(result: CacheResult): void {
    if (result === "hit") this.counts.hits++;
    else if (result === "miss") this.counts.misses++;
    else if (result === "rejected") this.counts.rejected++;
    else this.counts.bypasses++;
    this.host?.emit("cache.request", REPORTS[result]);
  }

  /** The hit stays synchronous (one resolved promise, no async function); the rest is `miss`. */
  private read(sessionToken: string, next: Next): Promise<SessionAndUser | null> {
    if (!this.usable()) return this.bypass(next).then(undefined, translateRead);
    const id = tokenId(sessionToken);
    const entry = this.local.get(id);
    if (entry) {
      this.report("hit");
      return Promise.resolve(entry === ABSENT ? null : copyOut((entry as CachedSession).value, sessionToken));
    }
    return this.miss(id, sessionToken, next).then(undefined, translateRead);
  }

  /** Fail closed: nothing cached can be proven fresh, so the database answers. */
  private async bypass(next: Next): Promise<SessionAndUser | null> {
    this.report("bypass");
    return (await next()) as SessionAndUser | null;
  }

  private async miss(id: string, sessionToken: string, next: Next): Promise<SessionAndUser | null> {
    let flight = this.flights.get(id);
    const leader = flight === undefined;
    if (!flight) {
      const started = this.fly(id, next);
      flight = started;
      this.flights.set(id, started);
      // An invalidation may have detached this flight already; only remove our own.
      started.finally(() => this.flights.get(id) === started && this.flights.delete(id)).catch(() => undefined);
    }
    const result = await flight;
    this.report(result.source);
    if (leader && result.value !== undefined) return result.value;
    if (result.json !== undefined) return result.json === null ? null : decode(result.json, sessionToken);
    return result.value ?? null;
  }

  /** The one lookup that concurrent readers of a token share. */
  private async fly(id: string, next: Next): Promise<Flight> {
    const ticket = this.generations.begin();
    const started = performance.now();
    try {
      let read: RedisRead | undefined;
      if (this.redisTier) {
        try {
          read = await this.redisTier.read(id);
        } catch {
          this.bus!.distrust();
          const value = (await next()) as SessionAndUser | null;
          return { value, json: value === null ? null : encode(value), source: "bypass" };
        }
        const cached = read.json !== null ? toCached(read.json) : undefined;
        if (cached && cached.expiresAt > Date.now() && read.pttl > 0) {
          this.fillLocal(ticket, id, cached, Math.min(Date.now() + read.pttl, cached.expiresAt));
          return { json: read.json!, source: "hit" };
        }
      }
      const value = (await next()) as SessionAndUser | null;
      if (value === null) {
        if (this.options.negativeTtlMs > 0 && this.generations.isFresh(ticket, id) && this.usable()) {
          this.local.set(id, ABSENT, this.options.negativeTtlMs);
        }
        return { value, json: null, source: missed(read) };
      }
      const json = cacheable(value) ? encode(value) : undefined;
      // A value the cache cannot hold faithfully (no Date expiry, a BigInt column...) is served, never cached.
      if (json === undefined) return { value, source: missed(read) };
      const cached: CachedSession = { value: snapshot(value) ?? json, userId: value.user.id, expiresAt: value.session.expires.getTime() };
      const deadline = Math.min(Date.now() + this.options.ttlMs, cached.expiresAt);
      if (deadline > Date.now() && this.generations.isFresh(ticket, id, cached.userId) && this.usable()) {
        if (await this.fillRedis(id, cached.userId, json, read, deadline, started)) this.fillLocal(ticket, id, cached, deadline);
      }
      return { value, json, source: missed(read) };
    } finally {
      this.generations.end();
    }
  }

  /** Stores in Redis unless an invalidation overtook the read; true when the local tier may store too. */
  private async fillRedis(id: string, userId: string, json: string, read: RedisRead | undefined, deadline: number, started: number): Promise<boolean> {
    if (!this.redisTier || !read) return true;
    // Invalidation marks expire; a read older than half their life cannot be checked against them.
    if (performance.now() - started > MARK_TTL_MS / 2) return false;
    const ttlMs = deadline - Date.now();
    if (ttlMs < 1) return false;
    try {
      return await this.redisTier.fill(id, userId, read, json, ttlMs, this.options.ttlMs);
    } catch {
      this.bus!.distrust();
      return false;
    }
  }

  /** Stores locally if nothing invalidated the token, its user or everything since `ticket`. */
  private fillLocal(ticket: number, id: string, cached: CachedSession, deadline: number): void {
    if (!this.generations.isFresh(ticket, id, cached.userId) || !this.usable()) return;
    this.local.set(id, cached, deadline - Date.now());
  }

  /** Runs the write, then invalidates what it may have changed (also when it failed: it may have committed). */
  private async write(ctx: OperationContext, next: Next): Promise<unknown> {
    // Read the arguments before going inward: inner plugins may replace them (the hashing plugin
    // swaps the session token for its hash), and the cache keys by what the caller presented.
    const before = targetsFromArgs(ctx, this.options.negativeTtlMs > 0);
    const mark = this.writes.mark();
    let result: unknown;
    let failure: { error: unknown } | undefined;
    try {
      result = await next();
    } catch (error) {
      failure = { error };
    }
    const { ids, userIds } = before ?? targetsFromResult(failure ? undefined : result);
    const fence = this.bus ? this.writes.since(mark) : undefined;
    // Another instance may read the old rows after this invalidation: from a replica that has not
    // replayed the write yet (it has a fence), or because a failed write may still commit. Its fill
    // would then be newer than every mark, so these tokens and users are held out of Redis for a
    // while instead. A create makes nothing stale that Redis holds, and a copy of a session from
    // before its expiry was extended (Auth.js's sliding sessions, every `updateAge`) is only more
    // cautious: neither holds, or sessions updated often would never be cached.
    const hold = ctx.operation !== "createSession" && !extendsExpiryOnly(ctx) && (fence !== undefined || failure !== undefined);
    if (ids.length > 0 || userIds.length > 0 || fence) await this.invalidate(ids, userIds, fence, hold);
    if (failure) throw failure.error;
    return result;
  }

  private async invalidate(ids: readonly string[], userIds: readonly string[], fence?: Fence, hold = false): Promise<void> {
    for (const id of ids) this.dropToken(id);
    for (const userId of userIds) this.dropUser(userId);
    await this.bus?.invalidate(ids, userIds, fence, hold);
  }

  private dropToken(id: string): void {
    this.local.delete(id);
    this.generations.bumpToken(id);
    // Readers arriving from now on must not join a lookup that started before the write.
    this.flights.delete(id);
  }

  private dropUser(userId: string): void {
    this.local.deleteUser(userId);
    this.generations.bumpUser(userId);
    // Which in-flight lookups belong to the user is unknown until they finish: detach them all.
    this.flights.clear();
  }

  private dropAll(): void {
    this.local.clear();
    this.generations.bumpAll();
    this.flights.clear();
  }
}
