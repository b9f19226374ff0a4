import {
  ConnectionException,
  ForeignKeyConstraintViolationException,
  NotNullConstraintViolationException,
  TableNotFoundException,
  UniqueConstraintViolationException,
} from "@mikro-orm/core";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";

/** PostgreSQL SQLSTATEs and Node/knex conditions meaning the connection is gone, not the query wrong. */
const LOST_SQLSTATES = new Set(["57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004"]);
const LOST_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH"]);
const LOST_MESSAGES = /Connection terminated|connection is closed|Unable to acquire a connection|Client was closed|not queryable|database connection is not open|aborted/i;
/** A timeout: the server is too slow or gone silent. Retrying would only double the wait. */
const TIMEOUT_MESSAGES = /Query read timeout|Timeout acquiring a connection|canceling statement due to statement timeout/i;

/** True when a pool, statement or client timeout ended the call. */
export function isTimedOut(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  if (e.code === "57014" || (typeof e.message === "string" && TIMEOUT_MESSAGES.test(e.message))) return true;
  return e.cause !== undefined && e.cause !== error && isTimedOut(e.cause);
}

/** True when the failure is the connection's (safe to reconnect and retry), not the statement's. */
export function isConnectionLost(error: unknown): boolean {
  if (isTimedOut(error)) return false;
  if (error instanceof ConnectionException) return true;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  if (typeof e.code === "string" && (LOST_SQLSTATES.has(e.code) || LOST_CODES.has(e.code))) return true;
  if (typeof e.message === "string" && LOST_MESSAGES.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== error && isConnectionLost(e.cause);
}

/** PostgreSQL's class 22 (data exception): a value too long, out of range or malformed for its column. */
function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.length === 5 && code.startsWith("22");
}

/** PostgreSQL's undefined_table, or SQLite's "no such table", when the driver error was not converted. */
function isMissingTable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return !!e && (e.code === "42P01" || (typeof e.message === "string" && /no such table/i.test(e.message)));
}

/** True when `error` (raw, or already translated by `translateError`) says a table does not exist. */
export function isTableMissing(error: unknown): boolean {
  const e = error instanceof AdapterError ? error.cause : error;
  return e instanceof TableNotFoundException || isMissingTable(e);
}

/** Maps a MikroORM/driver failure to the kit's error codes; the pipeline adds the operation name. */
export function translateError(error: unknown): AdapterError {
  if (error instanceof AdapterError) return error;
  if (error instanceof UniqueConstraintViolationException) {
    return new AdapterError(ErrorCode.CONFLICT, "a row with the same unique key already exists", { cause: error });
  }
  if (error instanceof ForeignKeyConstraintViolationException) {
    return new AdapterError(ErrorCode.NOT_FOUND, "the referenced user does not exist", { cause: error });
  }
  if (isDataException(error)) {
    return new AdapterError(ErrorCode.INVALID_INPUT, "a value does not fit its column (too long, out of range or malformed)", { cause: error });
  }
  if (error instanceof NotNullConstraintViolationException) {
    return new AdapterError(ErrorCode.INVALID_INPUT, "a required field is missing", { cause: error });
  }
  if (error instanceof TableNotFoundException || isMissingTable(error)) {
    return new AdapterError(
      ErrorCode.CONFIGURATION,
      "the kit's tables do not exist: run kit.migrate(), or pass synchronize: true to create them",
      { cause: error },
    );
  }
  if (isTimedOut(error)) {
    return new AdapterError(ErrorCode.DATABASE_UNAVAILABLE, "the database did not answer in time", { cause: error });
  }
  if (isConnectionLost(error)) {
    return new AdapterError(ErrorCode.DATABASE_UNAVAILABLE, "the database is unavailable", { cause: error });
  }
  return new AdapterError(ErrorCode.DATABASE_ERROR, `the database refused the statement: ${serverMessage(error)}`, { cause: error });
}

/**
 * The server's own words without the statement: MikroORM prefixes messages with the SQL and its
 * inlined parameters, which may hold tokens, and a message may end up in a log.
 */
function serverMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // A value with a line break splits the statement over lines: the server's words follow the last " - ".
  const cut = text.lastIndexOf(" - ");
  if (cut >= 0) return text.slice(cut + 3).split("\n")[0]!.slice(0, 200);
  return STATEMENT.test(text) ? "(statement omitted)" : text.split("\n")[0]!.slice(0, 200);
}

/** A message that opens with an SQL statement (and so carries its values). */
const STATEMENT = /^\s*(insert|update|delete|select|with|merge)\b/i;
