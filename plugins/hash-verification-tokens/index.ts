/**
 * hashVerificationTokens: tokens never reach the store in a form a database dump could replay.
 *
 * - E-mail tokens, Auth.js facade (and `kit.call`): the core already sends `sha256hex(token +
 *   secret)`; with a `pepper` this stores an HMAC of it keyed by a server-side secret the database
 *   never sees (defence in depth: a dump of the tokens table plus the Auth.js secret is still not
 *   enough to forge a row). Without a pepper the core's hash is stored as it is.
 * - E-mail tokens, NextAuth v3 facade: left alone. The facade itself stores `sha256hex(token +
 *   secret)`, a rule of the v3 contract, so databases NextAuth v3 wrote keep working; a pepper
 *   never applies on top of it.
 * - `sessionTokens: true`, both facades: session tokens are stored as their SHA-256 (or HMAC with
 *   the pepper), so a leaked sessions table holds no live session.
 *
 * Callers and the plugins outside this one get back the token they presented, never the stored
 * form; so hashing layers stack (each checks and restores its own).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { AdapterError, ErrorCode, PluginOrder, type AdapterPlugin, type OperationName } from "../../src/plugin-api";

/** Kept here for code that imported it from the plugin; the v3 facade owns this hash now. */
export { legacyTokenHash } from "../../src/facades/legacy/emailTokens";

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

export function hashVerificationTokens(options: HashVerificationTokensOptions = {}): AdapterPlugin {
  const { pepper, sessionTokens = false } = options;
  const keyed = (value: string) => createHmac("sha256", pepper!).update(value).digest("hex");
  const sessionHash = (value: string) => (pepper ? keyed(value) : createHash("sha256").update(value).digest("hex"));
  const operations = [...(pepper ? TOKEN_OPS : []), ...(sessionTokens ? SESSION_OPS : [])];

  return {
    name: HASH_PLUGIN_NAME,
    order: options.order ?? PluginOrder.HASHING,
    operations,
    async around(ctx, next) {
      const args = ctx.args as Record<string, unknown> | null;
      if (TOKEN_OPS.includes(ctx.operation)) {
        // v3: the facade's sha256hex(token + secret) is the stored form. Malformed: the check refuses it.
        if (ctx.facade === "legacy" || typeof args?.token !== "string") return next();
        const presented = args.token;
        const stored = keyed(presented);
        ctx.args = { ...args, token: stored } as never;
        const row = (await next()) as { token: string } | null;
        if (!row) return row;
        if (!sameText(row.token, stored)) {
          // A store that returned a row for another token is broken: refuse rather than sign someone in.
          throw new AdapterError(ErrorCode.INTERNAL, "the token store returned a row for a different token", { operation: ctx.operation });
        }
        return { ...row, token: presented };
      }
      const optional = OPTIONAL_SESSION_ARG[ctx.operation];
      if (optional) {
        if (typeof args?.[optional] === "string") ctx.args = { ...args, [optional]: sessionHash(args[optional] as string) } as never;
        return next();
      }
      if (typeof args?.sessionToken !== "string") return next();
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
