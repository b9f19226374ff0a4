import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from "node:crypto";

/**
 * Protects what the cache puts in Redis.
 *
 * - Write access to Redis must not be a way to sign in: every heartbeat and confirmation on the
 *   channel carries an HMAC-SHA256 (`v1.<base64url(hmac)>.<payload>`, verified in constant time),
 *   and every cached value is authenticated as well.
 * - A cached value holds the user record (e-mail, name): it is encrypted (AES-256-GCM,
 *   `v2.<base64url(iv | ciphertext | tag)>`), so neither Redis, its MONITOR and SLOWLOG, nor a
 *   tracer that records the arguments of EVALSHA (OpenTelemetry's ioredis instrumentation does)
 *   shows it.
 *
 * Each is bound to its context (the token id a value is stored under, or the channel), so a valid
 * entry copied to another token's key does not verify either. The keys are derived from the
 * configured `secret` with HKDF, one per purpose.
 */
const VERSION = "v1.";
const MAC_CHARS = 43; // base64url of 32 bytes, unpadded
/** HKDF `info`: a key for this purpose only, even if the app reuses its secret elsewhere. */
const INFO = "nextauth-adapter-kit/session-cache/v1";
const VALUE_VERSION = "v2.";
const VALUE_INFO = "nextauth-adapter-kit/session-cache/v2 values";
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Smallest accepted secret, in bytes. */
export const MIN_SECRET_BYTES = 32;

export class Seal {
  private readonly key: Buffer;
  private readonly valueKey: KeyObject;

  constructor(secret: string | Buffer) {
    this.key = Buffer.from(hkdfSync("sha256", Buffer.from(secret), Buffer.alloc(0), INFO, 32));
    this.valueKey = createSecretKey(Buffer.from(hkdfSync("sha256", Buffer.from(secret), Buffer.alloc(0), VALUE_INFO, 32)));
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

  /** A cached value, encrypted and bound to `context` (its token id). */
  encrypt(context: string, payload: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.valueKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([iv, cipher.update(payload, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `${VALUE_VERSION}${body.toString("base64url")}`;
  }

  /**
   * The value when `stored` verifies for `context`; undefined for anything forged or altered. A
   * `v1` (MAC only) value, which an instance of an earlier version may still write during a
   * rolling upgrade, is accepted when its MAC verifies.
   */
  decrypt(context: string, stored: string): string | undefined {
    if (stored.startsWith(VERSION)) return this.open(context, stored);
    if (!stored.startsWith(VALUE_VERSION)) return undefined;
    const body = Buffer.from(stored.slice(VALUE_VERSION.length), "base64url");
    if (body.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.valueKey, body.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      return undefined;
    }
  }
}
