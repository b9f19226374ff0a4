import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * Authenticates what the cache puts in Redis, so write access to Redis is not a way to sign in:
 * every cached value (and every heartbeat and confirmation on the channel) carries an HMAC-SHA256
 * under a key derived from the configured `secret`. A value is bound to the token id it is stored
 * under, so a valid entry copied to another token's key does not verify either.
 *
 * Stored form: `v1.<base64url(hmac)>.<payload>`; verified in constant time.
 */
const VERSION = "v1.";
const MAC_CHARS = 43; // base64url of 32 bytes, unpadded
/** HKDF `info`: a key for this purpose only, even if the app reuses its secret elsewhere. */
const INFO = "nextauth-adapter-kit/session-cache/v1";
/** Smallest accepted secret, in bytes. */
export const MIN_SECRET_BYTES = 32;

export class Seal {
  private readonly key: Buffer;

  constructor(secret: string | Buffer) {
    this.key = Buffer.from(hkdfSync("sha256", Buffer.from(secret), Buffer.alloc(0), INFO, 32));
  }

  private mac(context: string, payload: string): string {
    return createHmac("sha256", this.key).update(context).update("\n").update(payload).digest("base64url");
  }

  /** `payload` with its MAC, bound to `context` (the token id, or the channel). */
  seal(context: string, payload: string): string {
    return `${VERSION}${this.mac(context, payload)}.${payload}`;
  }

  /** The payload when `sealed` verifies for `context`; undefined for anything forged or altered. */
  open(context: string, sealed: string): string | undefined {
    const start = VERSION.length;
    if (!sealed.startsWith(VERSION) || sealed.charCodeAt(start + MAC_CHARS) !== 46 /* "." */) return undefined;
    const payload = sealed.slice(start + MAC_CHARS + 1);
    const given = Buffer.from(sealed.slice(start, start + MAC_CHARS));
    const expected = Buffer.from(this.mac(context, payload));
    return given.length === expected.length && timingSafeEqual(given, expected) ? payload : undefined;
  }
}
