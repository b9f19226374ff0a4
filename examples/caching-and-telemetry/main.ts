/**
 * Caching and telemetry together: `sessionCache` (in-process + Redis), `logging` (pino) and
 * `metrics` (prom-client). A burst of session reads, then the Prometheus exposition shows the
 * cache's hits and misses next to the operation durations.
 *
 * REDIS_URL picks the Redis server (default redis://127.0.0.1:6379); the database is the default
 * SQLite in memory, since the cache is what this example is about.
 */
import { randomBytes, randomUUID } from "node:crypto";
import Redis from "ioredis";
import pino from "pino";
import { createAdapterKit } from "../../src";
import { logging, metrics, sessionCache } from "../../plugins";

const READS = 20;

async function main(): Promise<void> {
  // As the cache's README advises: fail fast while Redis is away instead of queueing commands.
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 });
  await new Promise((resolve, reject) => redis.once("ready", resolve).once("error", reject));
  // A key prefix of this run's own: several runs (or apps) may share one Redis.
  const prefix = `nak:example:${randomUUID()}:`;
  const logLines: string[] = [];

  // Every instance sharing this Redis needs the same secret: it MACs what the cache stores there.
  const secret = process.env.SESSION_CACHE_SECRET ?? randomBytes(32).toString("base64");
  const cache = sessionCache({ redis, prefix, secret, ttlMs: 60_000 });
  const telemetry = metrics({ tracing: false }); // tracing: OpenTelemetry spans, off here
  const kit = createAdapterKit({
    // Order comes from each plugin (metrics 100, logging 200, cache 300), not from this list.
    plugins: [cache, logging({ logger: pino({ level: "debug", base: undefined, timestamp: false }, { write: (line: string) => void logLines.push(line) }) }), telemetry],
  });
  try {
    const user = await kit.authjs.createUser({ email: "ada@example.com", emailVerified: new Date() });
    const { sessionToken } = await kit.authjs.createSession({ sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + 3_600_000) });

    // The cache fails closed: until it has proven its Redis subscription (a heartbeat comes back),
    // lookups bypass it and read the database. Read until one is not a bypass: that first real
    // lookup is a miss that fills both tiers.
    for (let attempt = 1; cache.stats().misses === 0; attempt++) {
      if (attempt > 200) throw new Error("the session cache never trusted Redis");
      await kit.authjs.getSessionAndUser(sessionToken);
      if (cache.stats().misses === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    console.log(`1. The cache trusts Redis after ${cache.stats().bypasses} bypassed lookup(s); the first cached read was a miss`);

    // The burst: the same session read again and again, as every page view of a signed-in user does.
    for (let i = 0; i < READS; i++) await kit.authjs.getSessionAndUser(sessionToken);
    console.log(`2. ${READS} more reads: ${JSON.stringify(cache.stats())}`);

    // Signing out invalidates the cache (here and, through Redis, on every other instance).
    await kit.authjs.deleteSession(sessionToken);
    console.log(`3. After sign-out the session reads back as ${JSON.stringify(await kit.authjs.getSessionAndUser(sessionToken))}`);

    console.log(`4. pino wrote ${logLines.length} lines, one per call; the last: ${logLines.at(-1)?.trim()}`);

    // What Prometheus would scrape from /metrics (histogram buckets and sums left out to keep it short).
    const exposition = await telemetry.registry.metrics();
    console.log("5. Metrics:");
    for (const line of exposition.split("\n")) {
      if (/^auth_adapter_session_cache_requests_total|^auth_adapter_operation_duration_seconds_count/.test(line)) console.log(`   ${line}`);
    }
  } finally {
    await kit.close(); // closes the cache's own subscriber connection; `redis` stays ours
    // Remove this run's keys (the cache's counters never expire by design; entries would).
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    console.log(`6. Removed this run's ${keys.length} Redis keys (prefix ${prefix})`);
  }
  console.log("Done.");
}

main().catch((error: unknown) => {
  console.error(`caching-and-telemetry example failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
