/** Shared pieces of the session-cache tests: real Redis servers and clients, kits, a store-call counter. */
import { randomBytes, randomUUID } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import Redis from "ioredis";
import { createAdapterKit, type AdapterKit } from "../../../src";
import type { AdapterPlugin } from "../../../src/plugin-api";
import { sessionCache, type SessionCacheOptions, type SessionCachePlugin } from "..";

export const REDIS_PORT = Number(process.env.KIT_TEST_REDIS_PORT ?? 6379);

/** A key prefix (and so a channel) of its own, so test files running in parallel never meet. */
export function uniquePrefix(): string {
  return `nak:test:${process.pid}:${randomBytes(4).toString("hex")}:`;
}

/**
 * An ioredis client as the README recommends: no offline queue, one retry, short timeouts, and
 * quick reconnects (the outage test restarts a server).
 */
export function redisClient(port = REDIS_PORT): Redis {
  return new Redis({
    host: "127.0.0.1",
    port,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    connectTimeout: 1000,
    retryStrategy: () => 100,
    lazyConnect: false,
  });
}

/** Removes every key under `prefix` (the counters `epoch` and `seq` have no TTL by design). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
}

/** Resolves once the client is ready; rejects (fails the test) when Redis is not there. */
export function ready(client: Redis, timeoutMs = 5000): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis on port ${client.options.port} not ready after ${timeoutMs} ms`)), timeoutMs);
    client.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Counts the calls that got past the cache to the store (placed inside it, order 400). */
export function storeCalls(): AdapterPlugin & { count: number } {
  const counter = {
    name: "count-store-reads",
    order: 400,
    operations: ["getSessionAndUser"] as const,
    count: 0,
    around(_ctx: unknown, next: () => Promise<unknown>) {
      counter.count++;
      return next();
    },
  };
  return counter;
}

export interface CachedKit {
  kit: AdapterKit;
  cache: SessionCachePlugin;
  reads: AdapterPlugin & { count: number };
  /** Every cache.request event result, in order. */
  events: string[];
}

/** The secret the test kits share (every instance on one Redis tier needs the same one). */
export const TEST_SECRET = "session-cache-test-secret-0123456789abcdef";

/** A kit on the test database with a session cache and a store-read counter inside it. */
export function cachedKit(url: string, options: SessionCacheOptions): CachedKit {
  const cache = sessionCache(options.redis ? { secret: TEST_SECRET, ...options } : options);
  const reads = storeCalls();
  const kit = createAdapterKit({ database: url, plugins: [cache, reads] });
  const events: string[] = [];
  kit.events.on("cache.request", (e) => events.push(e.result));
  return { kit, cache, reads, events };
}

/** Waits until the kit's cache trusts Redis (a lookup is no longer bypassed), then zeroes its counters. */
export async function untilTrusted(made: CachedKit): Promise<CachedKit> {
  const probe = randomUUID();
  await eventually("the cache trusts Redis", async () => {
    await made.kit.call("getSessionAndUser", { sessionToken: probe });
    return made.events.at(-1) !== "bypass";
  });
  made.events.length = 0;
  made.reads.count = 0;
  return made;
}

/** A user with one session expiring `expiresInMs` from now. */
export async function signIn(kit: AdapterKit, expiresInMs = 60 * 60 * 1000) {
  const user = await kit.call("createUser", { email: `${randomUUID()}@example.com`, emailVerified: null, name: "Ada" });
  const session = await kit.call("createSession", { sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + expiresInMs) });
  return { user, session };
}

/** Polls `check` until it returns true (not a timed assertion: the deadline only stops a hung test). */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, deadlineMs = 20_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`still not true after ${deadlineMs} ms: ${what}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export { freePort, RedisServer } from "../../../test/support/redisServer";

/**
 * A TCP proxy in front of a Redis port that can go silent: while frozen it holds the bytes of the
 * chosen connections in both directions without closing anything, like a network path that
 * dropped (no FIN, no RST): e.g. a firewall forgetting an idle subscriber connection. Thawing
 * delivers what it held, as TCP does when a partition heals.
 */
export class FreezingProxy {
  private server: Server | undefined;
  private frozen: "none" | "all" | "subscribers" = "none";
  private readonly held: Array<() => void> = [];
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: number) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target, "127.0.0.1");
      // A connection that ever sent SUBSCRIBE is a subscriber connection.
      const link = { subscriber: false };
      const forward = (to: Socket, chunk: Buffer) => {
        const silent = this.frozen === "all" || (this.frozen === "subscribers" && link.subscriber);
        if (silent) this.held.push(() => to.write(chunk));
        else to.write(chunk);
      };
      client.on("data", (chunk: Buffer) => {
        if (chunk.toString("latin1").toLowerCase().includes("subscribe")) link.subscriber = true;
        forward(upstream, chunk);
      });
      upstream.on("data", (chunk: Buffer) => forward(client, chunk));
      for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
        this.sockets.add(from);
        from.on("close", () => to.destroy());
        from.on("error", () => to.destroy());
      }
    });
    this.port = await new Promise<number>((resolve) => this.server!.listen(0, "127.0.0.1", () => resolve((this.server!.address() as { port: number }).port)));
  }

  /** Holds the traffic of every connection, or only of subscriber connections. */
  freeze(which: "all" | "subscribers" = "all"): void {
    this.frozen = which;
  }

  thaw(): void {
    this.frozen = "none";
    for (const deliver of this.held.splice(0)) deliver();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Holds the store's answers to session lookups until `release()`: a read that started before a
 * write and finishes after it. `holding` resolves once a read is held.
 */
export function holdStoreAnswers(kit: AdapterKit): { holding: Promise<void>; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  kit.use({
    name: "hold-store-answer",
    order: 450,
    operations: ["getSessionAndUser"],
    async around(_ctx, next) {
      const answer = await next();
      held();
      await gate;
      return answer;
    },
  });
  return { holding, release };
}
