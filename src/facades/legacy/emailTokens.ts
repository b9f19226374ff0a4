import { createHash } from "node:crypto";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";

/** `sha256hex(token + secret)`: plain concatenation, as NextAuth v3 (and Auth.js) compute it. */
export function legacyTokenHash(token: string, secret: string): string {
  return createHash("sha256").update(`${token}${secret}`).digest("hex");
}

/**
 * The form of an e-mail token the v3 contract stores and looks up: `sha256hex(token + secret)`,
 * byte for byte what NextAuth v3 wrote, so its databases keep working. The secret is the one the
 * v3 call passes, else `appOptions.secret`.
 *
 * A token the argument check would refuse (not a string, empty, a NUL character) is passed on
 * unchanged, so the pipeline refuses it with INVALID_INPUT where the plugins see it.
 */
export function storedEmailToken(operation: string, token: unknown, secret: string | undefined): string {
  if (typeof token !== "string" || token.length === 0 || token.includes("\u0000")) return token as string;
  if (typeof secret !== "string" || secret.length === 0) {
    throw new AdapterError(ErrorCode.CONFIGURATION, "hashing an e-mail token needs the NextAuth secret: set `secret` in the NextAuth options", {
      operation,
    });
  }
  return legacyTokenHash(token, secret);
}
