import { isAcquireTimeout, PoolClosedError } from "../KnexPool";
import type { DatabaseFailure, FailureKind } from "../Dialect";

/**
 * Server errnos (MySQL and MariaDB share them) and client errnos → kind. Message text is never read.
 * https://mariadb.com/kb/en/mariadb-error-codes/ ; the 2xxx are the client library's.
 */
const BY_ERRNO: Record<number, FailureKind> = {
  1062: "unique_violation", // ER_DUP_ENTRY
  1586: "unique_violation", // ER_DUP_ENTRY_WITH_KEY_NAME
  1216: "foreign_key_violation", // ER_NO_REFERENCED_ROW
  1452: "foreign_key_violation", // ER_NO_REFERENCED_ROW_2: the referenced user does not exist
  1048: "not_null_violation", // ER_BAD_NULL_ERROR
  1364: "not_null_violation", // ER_NO_DEFAULT_FOR_FIELD
  1406: "invalid_value", // ER_DATA_TOO_LONG
  1264: "invalid_value", // ER_WARN_DATA_OUT_OF_RANGE
  1265: "invalid_value", // WARN_DATA_TRUNCATED
  1292: "invalid_value", // ER_TRUNCATED_WRONG_VALUE (a malformed date)
  1366: "invalid_value", // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD (bytes the column's charset cannot hold)
  1367: "invalid_value", // ER_ILLEGAL_VALUE_FOR_TYPE
  3140: "invalid_value", // ER_INVALID_JSON_TEXT (MySQL)
  1146: "undefined_table", // ER_NO_SUCH_TABLE
  1054: "undefined_column", // ER_BAD_FIELD_ERROR
  1049: "missing_database", // ER_BAD_DB_ERROR
  1045: "authentication", // ER_ACCESS_DENIED_ERROR
  1044: "authentication", // ER_DBACCESS_DENIED_ERROR
  1698: "authentication", // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
  1251: "authentication", // ER_NOT_SUPPORTED_AUTH_MODE
  1969: "timeout", // ER_STATEMENT_TIMEOUT: MariaDB's max_statement_time
  3024: "timeout", // ER_QUERY_TIMEOUT: MySQL's max_execution_time
  1205: "timeout", // ER_LOCK_WAIT_TIMEOUT
  1040: "connection_lost", // ER_CON_COUNT_ERROR: this client never got a session
  1053: "connection_lost", // ER_SERVER_SHUTDOWN
  1152: "connection_lost", // ER_ABORTING_CONNECTION
  1153: "connection_lost", // ER_NET_PACKET_TOO_LARGE: the server closes the connection after it
  1927: "connection_lost", // ER_CONNECTION_KILLED (MariaDB: KILL CONNECTION)
  4031: "connection_lost", // ER_CLIENT_INTERACTION_TIMEOUT (MySQL: wait_timeout ended an idle session)
  2002: "connection_lost", // CR_CONNECTION_ERROR
  2003: "connection_lost", // CR_CONN_HOST_ERROR
  2006: "connection_lost", // CR_SERVER_GONE_ERROR
  2013: "connection_lost", // CR_SERVER_LOST
  2055: "connection_lost", // CR_SERVER_LOST_EXTENDED
};

/** Node's and the drivers' string codes for a connection that broke or never opened. */
const LOST_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST", // mysql2: the server closed the connection
  "ER_SOCKET_UNEXPECTED_CLOSE", // mariadb connector
  "ER_CONNECTION_ALREADY_CLOSED",
  "ER_CLOSING_POOL",
]);
/**
 * The statement was never sent: the socket was already closed when the driver wrote to it (the
 * server had ended the session, e.g. `KILL CONNECTION`, before the pool noticed). Safe to retry
 * even for a write, so these count as the connect phase.
 */
const NOT_SENT = new Set(["EPIPE", "ER_CONNECTION_ALREADY_CLOSED"]);
/**
 * The MariaDB connector's connect timeout: no connection was made, so nothing was sent. It counts
 * as a failed connect (retried within the pool wait), as mysql2's `ETIMEDOUT` does.
 */
const CONNECT_TIMEOUT = "ER_CONNECTION_TIMEOUT";
/** Client-side time limits on a statement: the connectors' own query and socket timeouts. */
const TIMEOUT_CODES = new Set(["PROTOCOL_SEQUENCE_TIMEOUT", "ER_SOCKET_TIMEOUT"]);

/** The kit's own client-side statement timeout (see MySqlDialect). */
export class ClientTimeoutError extends Error {
  override readonly name = "ClientTimeoutError";
}

/**
 * Classifies an error from mysql2, the MariaDB connector, knex's pool or MikroORM (whose
 * exceptions copy `errno`, `code` and `sqlState`) by errno, code and class. A driver that marks an
 * error `fatal` has lost the connection: that is a lost connection whatever the errno.
 */
export function classifyMySqlError(error: unknown, phase: DatabaseFailure["phase"], dialect = "mysql"): DatabaseFailure {
  const e = (error ?? {}) as { errno?: unknown; code?: unknown; sqlState?: unknown; fatal?: unknown };
  const errno = typeof e.errno === "number" ? e.errno : undefined;
  const code = typeof e.code === "string" ? e.code : undefined;
  const sqlState = typeof e.sqlState === "string" && /^[0-9A-Z]{5}$/.test(e.sqlState) ? e.sqlState : undefined;
  if (code && NOT_SENT.has(code)) phase = "connect";
  const base = { dialect, phase, ...(sqlState && { sqlState }) } as const;
  if (error instanceof PoolClosedError) return { dialect, phase, kind: "pool_closed" };
  if (error instanceof ClientTimeoutError || isAcquireTimeout(error)) return { dialect, phase, kind: "timeout" };
  if (code && TIMEOUT_CODES.has(code)) return { ...base, kind: "timeout", errno: code };
  if (code === CONNECT_TIMEOUT) return { ...base, phase: "connect", kind: "connection_lost", errno: code };
  const known = errno !== undefined ? BY_ERRNO[errno] : undefined;
  if (known) return { ...base, kind: known, errno: errno! };
  if ((code && LOST_CODES.has(code)) || e.fatal === true) return { ...base, kind: "connection_lost", ...(code && { errno: code }) };
  // Failing to get a connection at all is the database being unavailable; a server error (errno
  // 1000-1999, 3000+) while connecting or creating tables is the server refusing a statement.
  const serverErrno = errno !== undefined && errno >= 1000 && (errno < 2000 || errno >= 3000);
  if (phase === "connect" && !serverErrno) return { ...base, kind: "connection_lost", ...((errno ?? code) !== undefined && { errno: errno ?? code }) };
  return { ...base, kind: "other", ...((errno ?? code) !== undefined && { errno: errno ?? code }) };
}

/** True for an error a MySQL-family driver raised (a numeric errno, or a driver error code). */
export function isMySqlError(error: unknown): boolean {
  const e = (error ?? {}) as { errno?: unknown; code?: unknown };
  return typeof e.errno === "number" && (typeof e.code !== "string" || e.code.startsWith("ER_") || e.code.startsWith("CR_") || e.code.startsWith("PROTOCOL_"));
}
