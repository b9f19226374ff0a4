/**
 * hashVerificationTokens: e-mail sign-in tokens under an HMAC keyed by a server-side `pepper`.
 *
 * - Auth.js facade (and `kit.call`): the core already hashes every e-mail token before the adapter
 *   sees it (`sha256hex(token + AUTH_SECRET)`). With a `pepper` this plugin stores an HMAC of that
 *   hash instead (defence in depth: the tokens table plus the Auth.js secret is still not enough to
 *   forge a row). Without a `pepper` the plugin wraps nothing, and the core's hash is stored as it comes.
 * - NextAuth v3 facade: e-mail tokens are left alone. The facade itself stores v3's
 *   `sha256hex(token + secret)`, so databases NextAuth v3 wrote keep working; no pepper on top.
 * - Session tokens: not here. The kit hashes them itself (`createAdapterKit({ secret })`, on by
 *   default), innermost, in one place; the old `sessionTokens` option is refused so they are
 *   never hashed twice.
 *
 * Callers and the plugins outside this one get back the token they presented, never the stored
 * form; so hashing layers stack (each checks and restores its own).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { AdapterError, ErrorCode, PluginOrder, type AdapterPlugin, type OperationName } from "../../src/plugin-api";

/** Kept here for code that imported it from the plugin; the v3 facade owns this hash now. */
export { legacyTokenHash } from "../../src/facades/legacy/emailTokens";

export interface HashVerificationTokensOptions {
  /** A server-side secret for an HMAC over e-mail tokens from the Auth.js facade. Without it the plugin does nothing. */
  pepper?: string;
  /**
   * Removed: session tokens are hashed by the kit (`createAdapterKit({ secret })`, the default).
   * Passing it is a CONFIGURATION error, so a session token is never hashed twice.
   */
  sessionTokens?: never;
  /** Position in the onion; default `PluginOrder.HASHING` (innermost). */
  order?: number;
}

const TOKEN_OPS: readonly OperationName[] = ["createVerificationToken", "useVerificationToken", "getVerificationToken", "deleteVerificationToken"];

export const HASH_PLUGIN_NAME = "hash-verification-tokens";

/** As the kit's own `secret`: an HMAC key of at least 256 bits. */
export const MIN_PEPPER_BYTES = 32;

export function hashVerificationTokens(options: HashVerificationTokensOptions = {}): AdapterPlugin {
  const { pepper } = options;
  if ((options as { sessionTokens?: unknown }).sessionTokens !== undefined) {
    throw new AdapterError(
      ErrorCode.CONFIGURATION,
      "hashVerificationTokens: sessionTokens is gone; the kit hashes session tokens itself (createAdapterKit({ secret }), on by default): remove the option",
    );
  }
  if (pepper !== undefined && (typeof pepper !== "string" || Buffer.byteLength(pepper) < MIN_PEPPER_BYTES)) {
    // Like the kit's secret: a key short enough to search offline would make a stolen table's HMACs worth little.
    throw new AdapterError(ErrorCode.CONFIGURATION, `hashVerificationTokens: pepper must be a string of at least ${MIN_PEPPER_BYTES} bytes (openssl rand -base64 32); the value is not shown`);
  }
  const keyed = (value: string) => createHmac("sha256", pepper!).update(value).digest("hex");
  const operations = pepper ? TOKEN_OPS : [];

  return {
    name: HASH_PLUGIN_NAME,
    order: options.order ?? PluginOrder.HASHING,
    operations,
    async around(ctx, next) {
      const args = ctx.args as Record<string, unknown> | null;
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
    },
  };
}

/** Constant-time equality of two strings. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
