/**
 * hashVerificationTokens: e-mail tokens (and optionally session tokens) never reach the store in
 * the clear.
 *
 * - NextAuth v3 facade: `sha256hex(token + secret)`, byte for byte what NextAuth v3 stored, so its
 *   databases keep working. The secret comes from the v3 call (or `appOptions.secret`).
 * - Auth.js facade: the core already sends `sha256hex(token + secret)`; with a `pepper` this adds
 *   an HMAC keyed by a server-side secret the database never sees (defence in depth: a dump of
 *   the tokens table plus the Auth.js secret is still not enough to forge a row).
 * - `sessionTokens: true`: session tokens are stored as their SHA-256 (or HMAC with the pepper), so a
 *   leaked sessions table holds no live session. The caller still sees the token it presented.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { AdapterError, ErrorCode, PluginOrder, type AdapterPlugin, type OperationContext, type OperationName } from "../../src/plugin-api";

export interface HashVerificationTokensOptions {
  /** A server-side secret for an HMAC over tokens from the Auth.js facade (and over session tokens). */
  pepper?: string;
  /** Also store session tokens hashed. Default false. */
  sessionTokens?: boolean;
  /** Position in the onion; default `PluginOrder.HASHING` (innermost). */
  order?: number;
}

const TOKEN_OPS: readonly OperationName[] = ["createVerificationToken", "useVerificationToken", "getVerificationToken", "deleteVerificationToken"];
const SESSION_OPS: readonly OperationName[] = ["createSession", "getSessionAndUser", "updateSession", "deleteSession", "listSessionsByUserId", "deleteSessionsByUserId"];
/** Session management takes the caller's own token under another name, and only optionally. */
const OPTIONAL_SESSION_ARG: Partial<Record<OperationName, string>> = { listSessionsByUserId: "currentSessionToken", deleteSessionsByUserId: "exceptSessionToken" };

export const HASH_PLUGIN_NAME = "hash-verification-tokens";

/** `sha256hex(token + secret)`: plain concatenation, as NextAuth v3 and Auth.js compute it. */
export function legacyTokenHash(token: string, secret: string): string {
  return createHash("sha256").update(`${token}${secret}`).digest("hex");
}

export function hashVerificationTokens(options: HashVerificationTokensOptions = {}): AdapterPlugin {
  const { pepper, sessionTokens = false } = options;
  const keyed = (value: string) => (pepper ? createHmac("sha256", pepper).update(value).digest("hex") : value);
  const sessionHash = (value: string) =>
    pepper ? createHmac("sha256", pepper).update(value).digest("hex") : createHash("sha256").update(value).digest("hex");

  function verificationHash(ctx: OperationContext, token: string): string {
    if (ctx.facade !== "legacy") return keyed(token);
    const secret = ctx.meta.secret;
    if (typeof secret !== "string" || secret.length === 0) {
      throw new AdapterError(ErrorCode.CONFIGURATION, "hashing an e-mail token needs the NextAuth secret: set `secret` in the NextAuth options", {
        operation: ctx.operation,
      });
    }
    return legacyTokenHash(token, secret);
  }

  return {
    name: HASH_PLUGIN_NAME,
    order: options.order ?? PluginOrder.HASHING,
    operations: sessionTokens ? [...TOKEN_OPS, ...SESSION_OPS] : TOKEN_OPS,
    async around(ctx, next) {
      if (TOKEN_OPS.includes(ctx.operation)) {
        const args = ctx.args as { token: string };
        const stored = verificationHash(ctx, args.token);
        ctx.args = { ...args, token: stored } as never;
        // The row goes back out as stored (hashed): the raw token never travels past this layer.
        const row = (await next()) as { token: string } | null;
        if (row && !sameText(row.token, stored)) {
          // A store that returned a row for another token is broken: refuse rather than sign someone in.
          throw new AdapterError(ErrorCode.INTERNAL, "the token store returned a row for a different token", { operation: ctx.operation });
        }
        return row;
      }
      const optional = OPTIONAL_SESSION_ARG[ctx.operation];
      if (optional) {
        const args = ctx.args as Record<string, unknown>;
        if (typeof args[optional] === "string") ctx.args = { ...args, [optional]: sessionHash(args[optional]) } as never;
        return next();
      }
      const args = ctx.args as { sessionToken: string };
      const presented = args.sessionToken;
      ctx.args = { ...args, sessionToken: sessionHash(presented) } as never;
      const result = (await next()) as Record<string, unknown> | null;
      return restoreSessionToken(result, presented);
    },
  };
}

/** Constant-time equality of two strings. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function restoreSessionToken(result: Record<string, unknown> | null, presented: string): unknown {
  if (!result) return result;
  if ("session" in result && result.session) return { ...result, session: { ...(result.session as object), sessionToken: presented } };
  return { ...result, sessionToken: presented };
}
