import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import { StatementFailure, type DatabaseFailure } from "./dialects/Dialect";
import { classifyOutside } from "./dialects/dialectFor";

/** What each kind of failure means to a caller. */
const OUTCOMES: Record<DatabaseFailure["kind"], [ErrorCode, string]> = {
  unique_violation: [ErrorCode.CONFLICT, "a row with the same unique key already exists"],
  foreign_key_violation: [ErrorCode.NOT_FOUND, "the referenced user does not exist"],
  not_null_violation: [ErrorCode.INVALID_INPUT, "a required field is missing"],
  invalid_value: [ErrorCode.INVALID_INPUT, "a value does not fit its column (too long, out of range or malformed)"],
  undefined_table: [ErrorCode.CONFIGURATION, "the kit's tables do not exist: run kit.migrate(), or pass synchronize: true to create them"],
  undefined_column: [
    ErrorCode.CONFIGURATION,
    "a column the kit's entities name is not in its table: the tables were made for another layout (pass its preset: pgAdapterEntities(), nextAuthV3Entities(), or createEntities({...}) with your names) or a kit migration has not run",
  ],
  missing_database: [ErrorCode.CONFIGURATION, "the database does not exist (the kit never creates one): create it first"],
  authentication: [ErrorCode.CONFIGURATION, "the database refused the credentials"],
  timeout: [ErrorCode.DATABASE_UNAVAILABLE, "the database did not answer in time"],
  connection_lost: [ErrorCode.DATABASE_UNAVAILABLE, "the database is unavailable (the connection failed or was lost)"],
  pool_closed: [ErrorCode.DATABASE_UNAVAILABLE, "the database is unavailable (the ORM's connection pool is closed)"],
  other: [ErrorCode.DATABASE_ERROR, "the database refused the statement"],
};

/** The failure behind each error this module made (whatever its `cause` shows). */
const FAILURES = new WeakMap<AdapterError, DatabaseFailure>();

export interface TranslateOptions {
  /** Keep the driver's own error as `cause` (development only: it holds SQL and may hold values). */
  rawDatabaseErrors?: boolean;
  /** Phase for an error that did not come through a dialect (ORM init, schema creation). */
  phase?: DatabaseFailure["phase"];
  /** The dialect's classifier for such an error; by its code otherwise (see `classifyOutside`). */
  classify?: (error: unknown, phase: DatabaseFailure["phase"]) => DatabaseFailure;
}

/** The sanitised failure of a raw error, a dialect's StatementFailure or anything else the ORM threw. */
export function failureOf(error: unknown, phase: DatabaseFailure["phase"] = "statement", classify = classifyOutside): DatabaseFailure {
  if (error instanceof StatementFailure) return error.failure;
  if (error instanceof AdapterError) return FAILURES.get(error) ?? { dialect: "unknown", phase, kind: "other" };
  return classify(error, phase);
}

/**
 * Maps a database failure to the kit's error codes; the pipeline adds the operation name. The
 * message and `cause` say what kind of failure, with the SQLSTATE/errno and the constraint, table
 * and column names: never the driver's message, the SQL or a value.
 */
export function translateError(error: unknown, options: TranslateOptions = {}): AdapterError {
  if (error instanceof AdapterError) return error;
  const failure = failureOf(error, options.phase, options.classify);
  const [code, text] = OUTCOMES[failure.kind];
  const ref = failure.sqlState ? ` (SQLSTATE ${failure.sqlState})` : failure.errno !== undefined ? ` (${failure.errno})` : "";
  const message =
    failure.kind === "missing_database" && failure.database ? `the database "${failure.database}" does not exist (the kit never creates one): create it first` : text + (failure.kind === "other" ? ref : "");
  const raw = error instanceof StatementFailure ? error.raw : error;
  const adapterError = new AdapterError(code, message, { cause: options.rawDatabaseErrors ? raw : describe(failure) });
  FAILURES.set(adapterError, failure);
  return adapterError;
}

/** What `err.cause` shows by default: the failure, plus `code` (the SQLSTATE or errno) where generic tools look. */
export type DatabaseErrorCause = DatabaseFailure & { readonly code?: string | number };

/** A frozen plain copy of the failure. */
function describe(failure: DatabaseFailure): DatabaseErrorCause {
  const out: Record<string, unknown> = {};
  const code = failure.sqlState ?? failure.errno;
  if (code !== undefined) out.code = code;
  for (const [key, value] of Object.entries(failure)) if (value !== undefined) out[key] = value;
  return Object.freeze(out) as unknown as DatabaseErrorCause;
}

/** True when `error` (raw, or translated by `translateError`) says a table does not exist. */
export function isTableMissing(error: unknown): boolean {
  return failureOf(error).kind === "undefined_table";
}

/**
 * A failed schema change (synchronize), from its translated error: the driver's message can quote
 * rows (PostgreSQL's "Key (email)=(...) is duplicated" when a new unique key meets duplicates).
 */
export function schemaChangeFailure(translated: AdapterError): AdapterError {
  const failure = failureOf(translated);
  const what =
    failure.kind === "unique_violation"
      ? `existing rows hold duplicate values where the unique key ${failure.constraint ? `"${failure.constraint}" ` : ""}is added; remove the duplicates and run it again`
      : translated.message;
  return new AdapterError(translated.code, `creating or updating the kit's tables failed: ${what}`, { cause: translated.cause });
}
