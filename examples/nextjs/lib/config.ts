/**
 * What the app reads from its environment, in one place. Nothing here connects or throws at import
 * time: `next build` imports these modules without a database.
 */
import { createHash } from "node:crypto";
import { AdapterError, ErrorCode } from "nextauth-adapter-kit";
import type { AccountTokenKey } from "nextauth-adapter-kit/plugins";

export const isProduction = process.env.NODE_ENV === "production";

/**
 * The development sign-in tools: the mailbox at /dev/mailbox (it shows every sign-in link, for any
 * address, to whoever opens it) and the test OIDC provider (it signs anyone in as its test user
 * without asking). Both are sign-ins for anyone, so:
 * - on under `next dev`;
 * - off in a production build, unless `AUTH_DEV_TOOLS=1` AND the app's own URL (NEXTAUTH_URL) is
 *   on loopback (127.0.0.1, [::1], localhost): that is how the browser test runs the production
 *   build. A deployment with a real host name cannot turn them on by setting the flag alone.
 */
export function devToolsEnabled(): boolean {
  if (!isProduction) return true;
  return process.env.AUTH_DEV_TOOLS === "1" && isLoopbackUrl(process.env.NEXTAUTH_URL);
}

function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const { hostname } = new URL(url);
    return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
  } catch {
    return false;
  }
}

/**
 * The PostgreSQL URL. In development the local server is the default. In production there is no
 * default: the kit itself refuses a missing database under NODE_ENV=production (CONFIGURATION),
 * rather than keeping users in memory until the next restart, and the server stops at start
 * (instrumentation.ts).
 */
export function databaseUrl(): string | undefined {
  return process.env.DATABASE_URL || (isProduction ? undefined : "postgresql://postgres@127.0.0.1:5432/nak_example_nextjs");
}

/** Redis for the session cache's shared tier; unset in production means an in-process cache only. */
export function redisUrl(): string | undefined {
  return process.env.REDIS_URL || (isProduction ? undefined : "redis://127.0.0.1:6379");
}

/** A fixed value for `next dev` only, derived from a label: never used by a production build. */
function developmentSecret(label: string): string {
  return createHash("sha256").update(`nextauth-adapter-kit example, development only: ${label}`).digest("base64");
}

function required(name: string, what: string): never {
  throw new AdapterError(ErrorCode.CONFIGURATION, `${name} is not set: a production build needs ${what}`);
}

/** The key the session cache authenticates its Redis entries with (at least 32 bytes; every instance the same). */
export function sessionCacheSecret(): string {
  return process.env.AUTH_SESSION_CACHE_SECRET || (isProduction ? required("AUTH_SESSION_CACHE_SECRET", "the session cache's secret (openssl rand -base64 32)") : developmentSecret("session cache"));
}

/**
 * The keys OAuth tokens are encrypted with at rest: `AUTH_ACCOUNT_KEYS=id:base64key[,id:base64key...]`,
 * newest first (the first encrypts, all decrypt: rotation is prepending a key).
 */
export function accountTokenKeys(): AccountTokenKey[] {
  const raw = process.env.AUTH_ACCOUNT_KEYS;
  if (!raw) {
    if (isProduction) required("AUTH_ACCOUNT_KEYS", "at least one key for OAuth tokens at rest (id:base64 of 32 bytes, e.g. 2026-12:$(openssl rand -base64 32))");
    return [{ id: "dev", key: developmentSecret("account tokens") }];
  }
  return raw.split(",").map((entry) => {
    const at = entry.indexOf(":");
    return { id: entry.slice(0, at).trim(), key: entry.slice(at + 1).trim() };
  });
}
