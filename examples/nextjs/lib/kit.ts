/**
 * The app's one adapter kit per process: PostgreSQL through DATABASE_URL, the kit's migrations run
 * once before the first request (instrumentation.ts, and lazily here for safety), and the plugins
 * an enterprise deployment runs: metrics, logging, the session cache (Redis, authenticated),
 * OAuth tokens encrypted at rest, session and e-mail tokens hashed at rest.
 */
import Redis from "ioredis";
import { createAdapterKit, type AdapterKit } from "nextauth-adapter-kit";
import { encryptAccountTokens, hashVerificationTokens, logging, metrics, sessionCache, type MetricsPlugin, type SessionCachePlugin } from "nextauth-adapter-kit/plugins";
import { accountTokenKeys, databaseUrl, redisUrl, sessionCacheSecret } from "./config";

export interface AppKit {
  kit: AdapterKit;
  metrics: MetricsPlugin;
  cache: SessionCachePlugin;
  /** Settles once the migrations ran. */
  ready: Promise<AdapterKit>;
}

/** ioredis as the kit's README recommends: no offline queue, short timeouts, errors logged once per outage. */
function redisClient(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let down = false;
  // Without a listener ioredis prints every failed reconnect; with Redis away the cache bypasses.
  redis.on("error", (error: Error & { code?: string }) => {
    if (down) return;
    down = true;
    console.warn(`[redis] unavailable (${error.code ?? error.message}); the session cache bypasses until it is back`);
  });
  redis.on("ready", () => {
    if (down) console.warn("[redis] back");
    down = false;
  });
  return redis;
}

function build(): AppKit {
  const url = databaseUrl();
  const redis = redisUrl();
  // Redis entries carry a MAC under this secret: a value written into Redis by anyone else is refused.
  const cache = sessionCache({ ...(redis && { redis: redisClient(redis), secret: sessionCacheSecret() }) });
  // Prometheus at /api/metrics. OpenTelemetry spans and metrics are off here (they need
  // @opentelemetry/api and an SDK the app registers); turn them on where you run a collector.
  const metricsPlugin = metrics({ dbSystemName: "postgresql", tracing: false, openTelemetryMetrics: false });
  // Session tokens are stored as an HMAC (the kit's default), keyed from NEXTAUTH_SECRET: a leaked
  // sessions table holds no live session.
  const kit = createAdapterKit({
    database: url,
    plugins: [
      metricsPlugin,
      logging({ level: "info" }),
      cache,
      // OAuth access, refresh and id tokens stored as AES-256-GCM: a database dump holds no live provider credential.
      encryptAccountTokens({ keys: accountTokenKeys() }),
      // E-mail tokens under an HMAC keyed by a secret the database never sees (opt-in).
      ...(process.env.AUTH_TOKEN_PEPPER ? [hashVerificationTokens({ pepper: process.env.AUTH_TOKEN_PEPPER })] : []),
    ],
  });
  const ready = kit.migrate().then((applied) => {
    if (applied.length > 0) console.log(`[auth] applied migrations: ${applied.join(", ")}`);
    return kit;
  });
  return { kit, metrics: metricsPlugin, cache, ready };
}

const KEY = Symbol.for("nextauth-adapter-kit.example.kit");
type Holder = { app?: AppKit };
const holder = ((globalThis as Record<symbol, Holder>)[KEY] ??= {});

/** The process's kit, built on first use (route bundles share it through globalThis). */
export function appKit(): AppKit {
  if (!holder.app) {
    holder.app = build();
    // A failed migration is retried by the next caller rather than remembered forever.
    holder.app.ready.catch(() => (holder.app = undefined));
  }
  return holder.app;
}

/** The kit, once its migrations ran. */
export function readyKit(): Promise<AdapterKit> {
  return appKit().ready;
}
