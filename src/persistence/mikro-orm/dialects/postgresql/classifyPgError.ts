import { isAcquireTimeout, PoolClosedError } from "../KnexPool";
import type { DatabaseFailure, FailureKind } from "../Dialect";

/** Node network errno codes meaning the server is gone or unreachable. */
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/** SQLSTATE → kind, exact codes first, then by class (the first two characters). */
const BY_CODE: Record<string, FailureKind> = {
  "23505": "unique_violation",
  "23503": "foreign_key_violation",
  "23502": "not_null_violation",
  "42P01": "undefined_table",
  "42703": "undefined_column",
  "3D000": "missing_database",
  "28P01": "authentication",
  "28000": "authentication",
  "57014": "timeout", // query_canceled: the statement_timeout fired
  "57P01": "connection_lost", // admin_shutdown (pg_terminate_backend, a restart)
  "57P02": "connection_lost", // crash_shutdown
  "57P03": "connection_lost", // cannot_connect_now (starting up, shutting down)
  "53300": "connection_lost", // too_many_connections: this client never got a session
};
const BY_CLASS: Record<string, FailureKind> = {
  "08": "connection_lost", // connection exception
  "22": "invalid_value", // data exception: too long, out of range, malformed, NUL byte
};

/** The kit's own client-side read timeout (see PostgreSqlDialect). */
export class ReadTimeoutError extends Error {
  override readonly name = "ReadTimeoutError";
}

/**
 * Classifies an error from `pg`, knex's pool or MikroORM (whose exceptions copy the driver's
 * fields) by SQLSTATE, errno and error class. `brokenClient` says the client stopped being usable
 * (pg's own "connection terminated" errors carry no code): that too is a lost connection.
 */
export function classifyPgError(error: unknown, phase: DatabaseFailure["phase"], brokenClient = false): DatabaseFailure {
  const e = (error ?? {}) as { code?: unknown; constraint?: unknown; table?: unknown; column?: unknown };
  const code = typeof e.code === "string" ? e.code : undefined;
  const sqlState = code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const names = {
    ...(typeof e.constraint === "string" && { constraint: e.constraint }),
    ...(typeof e.table === "string" && { table: e.table }),
    ...(typeof e.column === "string" && { column: e.column }),
  };
  const base = { dialect: "postgresql", phase } as const;
  if (sqlState) {
    const kind = BY_CODE[sqlState] ?? BY_CLASS[sqlState.slice(0, 2)] ?? "other";
    return { ...base, kind, sqlState, ...names };
  }
  if (error instanceof PoolClosedError) return { ...base, kind: "pool_closed" };
  if (error instanceof ReadTimeoutError || isAcquireTimeout(error)) return { ...base, kind: "timeout" };
  if (code && NETWORK.has(code)) return { ...base, kind: "connection_lost", errno: code };
  // Failing to get a connection at all (pg's connect timeout, a TLS failure) is the database
  // being unavailable; so is a statement whose client broke under it.
  if (phase === "connect" || brokenClient) return { ...base, kind: "connection_lost", ...(code && { errno: code }) };
  return { ...base, kind: "other", ...(code && { errno: code }) };
}
