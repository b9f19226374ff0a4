/**
 * logging: one pino line per adapter operation call, and nothing secret in it.
 *
 * - Each line carries `{ operation, facade }`, `durationMs`, `outcome`
 *   ("ok", "null" for a null result, "error") and the few fields known to be safe: `userId`,
 *   `provider`, and with `logEmails: true` the `email` / `identifier`.
 * - Arguments and results are never logged. Failures are logged at `error` with the kit's error
 *   `code`, the message and the cause's code and message, scrubbed of every token, secret and
 *   (by default) e-mail address the call carried, and of anything token-like or e-mail-like.
 * - Logging never throws into the operation: a failing logger or stream is ignored.
 * - The per-call line is written at `level` (default `debug`); pino's default level is `info`, so
 *   with a logger at its default successful calls print nothing: lower the logger's level or pass
 *   `level: "info"`.
 *
 * Order: `PluginOrder.LOGGING`, inside metrics and outside the cache, so a cache hit is logged
 * with its (short) duration and a miss with the store's.
 */
import {
  AdapterError,
  ErrorCode,
  optionalPeer,
  PluginOrder,
  toAdapterError,
  type AdapterPlugin,
  type OperationContext,
  type OperationName,
} from "../../src/plugin-api";
import { looksLikeEmail, scrub, sensitiveValues } from "./redact";
import { logReplicaEvents } from "./replicaLog";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

type LogMethod = (fields: object, message: string) => void;

/** The part of a pino logger the plugin uses; any pino-compatible logger fits. */
export type PinoLike = { [L in LogLevel]: LogMethod } & {
  child(bindings: object): PinoLike;
  isLevelEnabled?(level: string): boolean;
};

export interface LoggingOptions {
  /** A pino logger (or compatible). Default: a new `pino()` logger. */
  logger?: PinoLike;
  /** Level of the per-call line. Default `debug`, below pino's default `info`: lower the logger's level to see it. Failures are always logged at `error`. */
  level?: LogLevel;
  /** Log e-mail addresses (`email`, and `identifier` of verification tokens). Default false. */
  logEmails?: boolean;
  /** Position in the onion; default `PluginOrder.LOGGING`. */
  order?: number;
}

const LEVELS: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error", "fatal"];

/** Operations whose `id` argument, or whose result's `id`, is a user id. */
const USER_OPS = new Set<OperationName>(["createUser", "getUser", "getUserByEmail", "getUserByAccount", "getUserByCredentials", "updateUser", "deleteUser"]);
const EMAIL_OPS = new Set<OperationName>(["createUser", "getUserByEmail", "updateUser"]);
const IDENTIFIER_OPS = new Set<OperationName>(["createVerificationToken", "useVerificationToken", "getVerificationToken", "deleteVerificationToken"]);

export const LOGGING_PLUGIN_NAME = "logging";

export function logging(options: LoggingOptions = {}): AdapterPlugin {
  const level = options.level ?? "debug";
  if (!LEVELS.includes(level)) {
    throw new AdapterError(ErrorCode.CONFIGURATION, `logging: level must be one of ${LEVELS.join(", ")}, got "${String(level)}"`);
  }
  const logEmails = options.logEmails === true;
  const logger = options.logger ?? defaultLogger();

  function enabled(at: LogLevel): boolean {
    return typeof logger.isLevelEnabled !== "function" || logger.isLevelEnabled(at);
  }

  function logResult(ctx: OperationContext, presented: unknown, result: unknown, started: number): void {
    if (!enabled(level)) return;
    const outcome = result === null || result === undefined ? "null" : "ok";
    // The fields straight on the line: a child logger per call (pino serialises its bindings each time) costs more than the line.
    const fields = { operation: ctx.operation, facade: ctx.facade, durationMs: elapsed(started), outcome, ...safeFields(ctx.operation, presented, result, logEmails) };
    logger[level](fields, `${ctx.operation} ${outcome}`);
  }

  function logFailure(ctx: OperationContext, presented: unknown, thrown: unknown, started: number): void {
    if (!enabled("error")) return;
    const error = toAdapterError(thrown, ctx.operation);
    // The arguments as presented and as the inner plugins rewrote them (a token's hash is a secret too).
    const values = sensitiveValues([presented, ctx.args], logEmails);
    const fields = {
      operation: ctx.operation,
      facade: ctx.facade,
      durationMs: elapsed(started),
      outcome: "error",
      code: error.code,
      ...safeFields(ctx.operation, presented, null, logEmails),
      error: { message: scrub(error.message, values, logEmails), cause: describeCause(error.cause, values, logEmails) },
    };
    logger.error(fields, `${ctx.operation} error ${error.code}`);
  }

  return {
    name: LOGGING_PLUGIN_NAME,
    order: options.order ?? PluginOrder.LOGGING,
    setup(host) {
      logReplicaEvents(host, {
        info: (fields, message) => safely(() => logger.info(fields, message)),
        warn: (fields, message) => safely(() => logger.warn(fields, message)),
      });
    },
    around(ctx, next) {
      const started = performance.now();
      const presented = ctx.args;
      const inward = next();
      // An observer beside the call, not a step in it: the caller gets `next()`'s own promise (no
      // promise or tick of this plugin's in the chain), and these handlers run before any outer
      // layer's, since they were attached first. They never throw, so their own promise never rejects.
      inward.then(
        (result) => {
          try {
            logResult(ctx, presented, result, started);
          } catch {
            // Logging must never break the call it describes: a throwing logger or stream is the app's to notice.
          }
        },
        (error: unknown) => {
          try {
            logFailure(ctx, presented, error, started);
          } catch {
            // As above: the operation's outcome stands.
          }
        },
      );
      return inward;
    },
  };
}

function defaultLogger(): PinoLike {
  const pino = optionalPeer<(options?: object) => PinoLike>("pino", "logging()", () => require("pino"));
  return pino();
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

/** The allow-listed fields: never a token, never an argument object. */
function safeFields(operation: OperationName, args: unknown, result: unknown, logEmails: boolean): Record<string, string> {
  const a = (args ?? {}) as Record<string, unknown>;
  const r = (result ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const userId = firstId(a.userId, USER_OPS.has(operation) ? a.id : undefined, r.userId, (r.user as Record<string, unknown> | undefined)?.id, USER_OPS.has(operation) ? r.id : undefined);
  if (userId !== undefined && (logEmails || !looksLikeEmail(userId))) fields.userId = userId;
  if (typeof a.provider === "string") fields.provider = a.provider;
  if (logEmails) {
    const email = EMAIL_OPS.has(operation) ? (a.email ?? r.email) : undefined;
    if (typeof email === "string") fields.email = email;
    if (IDENTIFIER_OPS.has(operation) && typeof a.identifier === "string") fields.identifier = a.identifier;
  }
  return fields;
}

function firstId(...candidates: unknown[]): string | undefined {
  for (const c of candidates) {
    if (typeof c === "string" && c.length > 0) return c;
    if (typeof c === "number" && Number.isFinite(c)) return String(c);
  }
  return undefined;
}

/** The cause's code (e.g. a SQLSTATE) and scrubbed message; never the object itself. */
function describeCause(cause: unknown, values: readonly string[], logEmails: boolean): { code?: string; message: string } | undefined {
  if (cause === undefined || cause === null) return undefined;
  const c = cause as { code?: unknown; message?: unknown };
  const code = typeof c.code === "string" || typeof c.code === "number" ? String(c.code) : undefined;
  const message = typeof c.message === "string" ? c.message : typeof cause === "string" ? cause : "";
  return { ...(code === undefined ? {} : { code: scrub(code, values, logEmails) }), message: scrub(message, values, logEmails) };
}

/** Logging never throws into the kit. */
function safely(write: () => void): void {
  try {
    write();
  } catch {
    // A failing logger or stream is ignored, as for the per-call lines.
  }
}
