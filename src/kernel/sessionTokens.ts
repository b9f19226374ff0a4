import { hkdfSync } from "node:crypto";
import { toAdapterError } from "../errors/AdapterError";
import type { Invoke } from "./compose";
import { HmacSha256 } from "./hmacSha256";
import { PRESENTED_SESSION_TOKEN, type OperationName } from "./operations";

/**
 * Session tokens at rest: the one place the kit hashes them. Every operation that takes a
 * `sessionToken` gets, innermost (after every plugin and the argument check, which sees the
 * token as presented), the stored form
 * `h1:<base64url HMAC-SHA-256(key, token)>` instead of the token; what it returns carries the
 * token the caller presented again. So plugins (the session cache, logging, the app's own) see
 * tokens as the consumer does, stores and overridden operations see only the stored form, and a
 * lookup is still one indexed equality on the column: one HMAC per call, no extra query.
 *
 * The key is derived from the kit's `secret` (HKDF-SHA-256 with a label of its own), so the
 * secret Auth.js also uses for its cookies is never used twice for the same thing.
 */
export const HASHED_SESSION_TOKEN_PREFIX = "h1:";

const SESSION_OPERATIONS: ReadonlySet<OperationName> = new Set(["createSession", "getSessionAndUser", "updateSession", "deleteSession"]);
/** Operations that may find a row written before hashing was on (the migration window). */
const LOOKUPS: ReadonlySet<OperationName> = new Set(["getSessionAndUser", "updateSession", "deleteSession"]);
const KEY_LABEL = "nextauth-adapter-kit session token v1";

export class SessionTokenHasher {
  private readonly hmac: HmacSha256;

  /**
   * @param acceptRaw the migration window: a token not found in its stored form is looked up as
   *   it is (a row written before hashing was on). Never for a token in the stored form itself,
   *   so a hash copied from a dump is not a session.
   */
  constructor(
    secret: string | Buffer,
    readonly acceptRaw = false,
  ) {
    this.hmac = new HmacSha256(Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), KEY_LABEL, 32)));
  }

  /** The stored form of a presented token. */
  stored(token: string): string {
    return HASHED_SESSION_TOKEN_PREFIX + this.hmac.base64url(token);
  }

  /** True for a value in the stored form (never true for a token Auth.js or NextAuth generate). */
  static isStored(value: unknown): boolean {
    return typeof value === "string" && value.startsWith(HASHED_SESSION_TOKEN_PREFIX);
  }

  /**
   * `terminal` (the operation, after its check) with session tokens hashed on the way in and
   * restored on the way out; undefined for an operation that takes no session token. What the
   * wrapper adds never rejects untranslated: a terminal whose promise rejects only with
   * AdapterErrors (TRANSLATES_ERRORS) keeps that property wrapped. `restores`: the operation puts
   * the presented token back itself (RESTORES_PRESENTED_TOKEN), so outside the migration window the
   * wrapper only hashes: no `then`, no copy of the result.
   */
  wrap(operation: OperationName, terminal: Invoke, restores = false): Invoke | undefined {
    const optional = OPTIONAL_TOKEN_ARGS[operation];
    if (optional) return this.wrapOptional(operation, optional, terminal);
    if (!SESSION_OPERATIONS.has(operation)) return undefined;
    const fallback = this.acceptRaw && LOOKUPS.has(operation);
    const itself = restores && !fallback;
    return (ctx) => {
      const args = ctx.args as { sessionToken?: unknown } | null;
      const presented = args?.sessionToken;
      // Checked already (a string); anything else is passed on untouched.
      if (typeof presented !== "string") return terminal(ctx);
      // One literal each way, overwriting the slot the pipeline made (see Pipeline.run).
      if (itself) return terminal({ ...ctx, args: { ...args, sessionToken: this.stored(presented) }, [PRESENTED_SESSION_TOKEN]: presented } as typeof ctx);
      // `then` rather than an async function: a promise and a tick less on every session call.
      return terminal({ ...ctx, args: { ...args, sessionToken: this.stored(presented) } } as typeof ctx).then((result) => {
        try {
          if (result == null && fallback && !SessionTokenHasher.isStored(presented)) return terminal(ctx).then((raw) => restored(operation, raw, presented));
          return withPresented(result, presented);
        } catch (error) {
          throw toAdapterError(error, operation);
        }
      });
    };
  }

  private wrapOptional(operation: OperationName, name: string, terminal: Invoke): Invoke {
    const fallback = this.acceptRaw && name === "currentSessionToken";
    return (ctx) => {
      const args = ctx.args as Record<string, unknown> | null;
      const presented = args?.[name];
      if (typeof presented !== "string") return terminal(ctx);
      return terminal({ ...ctx, args: { ...args, [name]: this.stored(presented) } } as typeof ctx).then((result) => {
        try {
          const noneCurrent = Array.isArray(result) && !result.some((s: { current?: boolean }) => s.current);
          return fallback && noneCurrent && !SessionTokenHasher.isStored(presented) ? terminal(ctx) : result;
        } catch (error) {
          throw toAdapterError(error, operation);
        }
      });
    };
  }
}

/** `withPresented`, a throw leaving as an AdapterError naming the operation (see `wrap`). */
function restored(operation: string, result: unknown, presented: string): unknown {
  try {
    return withPresented(result, presented);
  } catch (error) {
    throw toAdapterError(error, operation);
  }
}

/**
 * Session management takes the caller's own token under another name, optionally: hashed the same
 * way, so "this device" and "all but this device" match the stored row. In the migration window a
 * caller whose row predates hashing is still marked current (looked up raw too); "sign out other
 * devices" keeps only the hashed form, so such a caller is signed out as well (run
 * `kit.hashSessionTokens()` to end the window).
 */
const OPTIONAL_TOKEN_ARGS: Partial<Record<OperationName, string>> = { listSessionsByUserId: "currentSessionToken", deleteSessionsByUserId: "exceptSessionToken" };

/** A session (or `{ session, user }`) carrying the presented token, never the stored form. */
function withPresented(result: unknown, presented: string): unknown {
  if (result == null || typeof result !== "object") return result;
  const r = result as Record<string, unknown>;
  if ("session" in r && r.session && typeof r.session === "object") return { ...r, session: { ...(r.session as object), sessionToken: presented } };
  if ("sessionToken" in r) return { ...r, sessionToken: presented };
  return result;
}
