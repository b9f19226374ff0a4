/**
 * What the app reads from its environment, in one place. Nothing here connects or throws at import
 * time: `next build` imports these modules without a database.
 */
import { AdapterError, ErrorCode } from "nextauth-adapter-kit";

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
 * The PostgreSQL URL. A production server without it stops at start with the kit's CONFIGURATION
 * error (instrumentation.ts), rather than falling back to the kit's in-memory SQLite default and
 * losing every session at the next restart. In development the local server is the default.
 */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url) return url;
  if (isProduction) {
    throw new AdapterError(ErrorCode.CONFIGURATION, "DATABASE_URL is not set: a production build needs a PostgreSQL URL (postgresql://user:password@host:5432/db)");
  }
  return "postgresql://postgres@127.0.0.1:5432/nak_example_nextjs";
}

/** Redis for the session cache's shared tier; unset in production means an in-process cache only. */
export function redisUrl(): string | undefined {
  return process.env.REDIS_URL || (isProduction ? undefined : "redis://127.0.0.1:6379");
}
