import { AdapterError, ErrorCode } from "../errors/AdapterError";

/**
 * The longest string the kit passes on (UTF-16 units; at most 3 MiB in UTF-8): far above any
 * token, e-mail or avatar, and below what would end a connection rather than fail one statement
 * (MySQL's 16 MiB `max_allowed_packet` for a row of several such values, Redis's 32 MB pub/sub
 * buffer for an invalidation, a replica's one-second read bound).
 */
export const MAX_STRING_LENGTH = 1 << 20;

/** Small argument checks: each names the argument and what it got, so the message says what went wrong. */
export class Checks {
  constructor(
    private readonly operation: string,
    private readonly args: Record<string, unknown>,
  ) {}

  static of(operation: string, args: unknown): Checks {
    if (args === null || typeof args !== "object" || Array.isArray(args)) {
      throw invalid(operation, `expected an argument object, got ${describe(args)}`);
    }
    return new Checks(operation, args as Record<string, unknown>);
  }

  /** A non-empty string (ids, tokens, provider names). */
  string(key: string): this {
    const value = this.args[key];
    if (typeof value !== "string" || value.length === 0) this.fail(key, "a non-empty string", value);
    return this.storable(key, value);
  }

  optionalString(key: string): this {
    const value = this.args[key];
    if (value !== undefined && value !== null && typeof value !== "string") this.fail(key, "a string or null", value);
    return typeof value === "string" ? this.storable(key, value) : this;
  }

  /**
   * Not longer than MAX_STRING_LENGTH. PostgreSQL text cannot hold a NUL character; refuse it here rather than as a driver error.
   * A lone surrogate has no UTF-8 form: PostgreSQL and MySQL would store U+FFFD in its place, so
   * `"x\uD800"` and `"x\uDBFF"` would be one key there and two on SQLite.
   */
  private storable(key: string, value: string): this {
    if (value.length > MAX_STRING_LENGTH) throw invalid(this.operation, `"${key}" is longer than the kit accepts (${MAX_STRING_LENGTH.toLocaleString("en")} characters)`);
    if (value.includes("\u0000")) throw invalid(this.operation, `"${key}" must not contain a NUL character`);
    if (!(value as WellFormed).isWellFormed()) throw invalid(this.operation, `"${key}" must be well-formed UTF-16 (it has a lone surrogate, which no database stores as given)`);
    return this;
  }

  /** A valid Date (not a string, not an Invalid Date). */
  date(key: string): this {
    const value = this.args[key];
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) this.fail(key, "a valid Date", value);
    return this;
  }

  optionalDate(key: string): this {
    const value = this.args[key];
    if (value !== undefined && value !== null) this.date(key);
    return this;
  }

  integer(key: string): this {
    const value = this.args[key];
    if (typeof value !== "number" || !Number.isSafeInteger(value)) this.fail(key, "an integer", value);
    return this;
  }

  optionalInteger(key: string): this {
    const value = this.args[key];
    if (value !== undefined && value !== null) this.integer(key);
    return this;
  }

  boolean(key: string): this {
    if (typeof this.args[key] !== "boolean") this.fail(key, "a boolean", this.args[key]);
    return this;
  }

  object(key: string): this {
    const value = this.args[key];
    if (value === null || typeof value !== "object" || Array.isArray(value)) this.fail(key, "an object", value);
    return this;
  }

  private fail(key: string, expected: string, got: unknown): never {
    throw invalid(this.operation, `"${key}" must be ${expected}, got ${describe(got)}`);
  }
}

/** `String.prototype.isWellFormed` (Node 20; not in the ES2022 lib the kit compiles against). */
type WellFormed = string & { isWellFormed(): boolean };

export function invalid(operation: string, message: string): AdapterError {
  return new AdapterError(ErrorCode.INVALID_INPUT, message, { operation });
}

/** Describes a value for an error message without echoing it (it may be a secret). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Date) return "an invalid Date";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value.length === 0 ? "an empty string" : `a string`;
  return typeof value === "object" ? "an object" : `${typeof value}`;
}
