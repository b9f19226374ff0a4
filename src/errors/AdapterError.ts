/** Stable error codes; safe to switch on and to use as a metrics label. */
export const ErrorCode = {
  /** An argument is missing or malformed; raised before any query runs. */
  INVALID_INPUT: "INVALID_INPUT",
  /** A plugin refused the call by policy (a blocked domain, a locked account): not a bug, not bad input. */
  FORBIDDEN: "FORBIDDEN",
  /** The row an operation needs does not exist (e.g. an unknown authenticator). */
  NOT_FOUND: "NOT_FOUND",
  /** A unique constraint refused the write (same email, same provider account, same token). */
  CONFLICT: "CONFLICT",
  /** The database could not be reached, or the connection broke mid-call. */
  DATABASE_UNAVAILABLE: "DATABASE_UNAVAILABLE",
  /** The database answered with an error the kit does not classify further. */
  DATABASE_ERROR: "DATABASE_ERROR",
  /** The kit was configured in a way that cannot work (missing driver, missing entities). */
  CONFIGURATION: "CONFIGURATION",
  /** A stored encrypted value failed to decrypt: wrong or missing key, or the row was altered. */
  DECRYPTION_FAILED: "DECRYPTION_FAILED",
  /** The operation has no implementation bound (e.g. getUserByCredentials). */
  NOT_IMPLEMENTED: "NOT_IMPLEMENTED",
  /** The e-mail provider failed to send a verification request. */
  DELIVERY_FAILED: "DELIVERY_FAILED",
  /** Anything else: a bug in an operation, a store or a plugin. */
  INTERNAL: "INTERNAL",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface AdapterErrorOptions {
  operation?: string;
  cause?: unknown;
}

/** The one error class the kit throws: a stable `code`, the operation's name and the original `cause`. */
export class AdapterError extends Error {
  override readonly name = "AdapterError";
  readonly code: ErrorCode;
  /** The canonical operation that failed; the pipeline names it on a copy when a store raised the error. */
  readonly operation: string | undefined;
  override readonly cause: unknown;

  constructor(code: ErrorCode, message: string, options: AdapterErrorOptions = {}) {
    super(options.operation ? `${options.operation}: ${message}` : message);
    this.code = code;
    this.operation = options.operation;
    this.cause = options.cause;
  }

  /**
   * This error named for `operation`: itself when it already names one, else a new error with the
   * same code, message (prefixed like errors raised with one), cause and stack. Never changes `this`:
   * an error may already be in a plugin's hands or a log line.
   */
  withOperation(operation: string): AdapterError {
    if (this.operation !== undefined) return this;
    const named = new AdapterError(this.code, this.message, { operation, cause: this.cause });
    const frames = this.stack?.indexOf("\n") ?? -1;
    if (frames >= 0) named.stack = `${named.name}: ${named.message}${this.stack!.slice(frames)}`;
    return named;
  }

  static is(error: unknown, code?: ErrorCode): error is AdapterError {
    return error instanceof AdapterError && (code === undefined || error.code === code);
  }
}

/** Codes carried by Node's network errors that mean "the server is not there". */
const UNREACHABLE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * Turns anything thrown into an AdapterError for `operation`. Pure: an AdapterError that names its
 * operation comes back as is (the pipeline translates each error once, where it leaves the layer
 * that threw it, so plugins calling this on what `next()` threw get that same object back).
 */
export function toAdapterError(error: unknown, operation: string): AdapterError {
  if (error instanceof AdapterError) return error.withOperation(operation);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && UNREACHABLE.has(code)) {
    return new AdapterError(ErrorCode.DATABASE_UNAVAILABLE, `the store is unreachable (${code})`, { operation, cause: error });
  }
  // Not the thrown message: a store or plugin of the app's may quote a value in it (mysql2's
  // "Duplicate entry 'ada@example.com'"), and this message reaches Auth.js's log and error
  // trackers' titles. The original stays the `cause`, for the app's own debugging.
  return new AdapterError(ErrorCode.INTERNAL, `unexpected ${thrownKind(error)}; its message is not repeated here (it may quote a value): see cause`, { operation, cause: error });
}

/** What was thrown, by its class name (an identifier the code chose) or its type, never its text. */
function thrownKind(error: unknown): string {
  if (error instanceof Error) return /^[A-Za-z_$][\w$]{0,63}$/.test(error.name) ? error.name : "Error";
  return `thrown ${error === null ? "null" : typeof error}`;
}
