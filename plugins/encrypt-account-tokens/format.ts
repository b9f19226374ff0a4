import { createDecipheriv } from "node:crypto";
import { IV_BYTES, TAG_BYTES, newCipher } from "./cipher";
import { isKeyId, type KeyRing } from "./keys";

/**
 * The stored form of an encrypted account value:
 *
 *   enc:v1:<key id>:<base64url(iv[12] | ciphertext | tag[16])>
 *
 * AES-256-GCM with a random 96-bit IV per value. The plaintext is one type byte ("s" a string,
 * "j" any other JSON value) followed by the value, so numbers and objects in app-named columns
 * round-trip too. The additional authenticated data binds the value to its row and column
 * (version, key id, provider, providerAccountId, field): a ciphertext copied to another row or
 * column, or given another key id, fails authentication.
 */
export const PREFIX = "enc:v1:";

/** Where a value belongs: what the AAD binds it to. */
export interface ValueContext {
  provider: string;
  providerAccountId: string;
  field: string;
}

/** Why a stored value could not be read back (never the value itself). */
export type DecodeFailure = "unknown-key" | "malformed" | "authentication";

export class DecodeError extends Error {
  constructor(
    readonly reason: DecodeFailure,
    readonly keyId: string | undefined,
  ) {
    super(reason);
  }
}

/** True when `value` carries the encrypted format (a plaintext value never starts with the prefix). */
export function isEncrypted(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(PREFIX);
}

function aadText(keyId: string, where: ValueContext): string {
  // JSON of an array: unambiguous however the parts are spelled.
  return JSON.stringify(["v1", keyId, where.provider, where.providerAccountId, where.field]);
}

/**
 * Scratch space for the AAD and for the stored body (iv | ciphertext | tag) of one encryption:
 * OpenSSL reads the AAD when it is set, and the body is turned into text at once, so neither
 * outlives the call. Neither holds a secret (the body is what the database stores).
 */
let aadScratch = Buffer.alloc(512);
let bodyScratch = Buffer.alloc(1024);

function aadBytes(keyId: string, where: ValueContext): Buffer {
  const text = aadText(keyId, where);
  // At most 3 UTF-8 bytes per UTF-16 unit: a text that fits this way always fits whole.
  if (text.length * 3 > aadScratch.length) aadScratch = Buffer.alloc(text.length * 3);
  return aadScratch.subarray(0, aadScratch.write(text, 0, "utf8"));
}

/** Encrypts one value under the ring's current key. */
export function encodeValue(value: unknown, ring: KeyRing, where: ValueContext): string {
  const { id, key } = ring.current;
  const plain = typeof value === "string" ? `s${value}` : `j${JSON.stringify(value)}`;
  const { iv, cipher } = newCipher(key);
  cipher.setAAD(aadBytes(id, where));
  const ciphertext = cipher.update(plain, "utf8");
  cipher.final(); // GCM: no bytes left over, only the tag to compute
  const tag = cipher.getAuthTag();
  const length = IV_BYTES + ciphertext.length + TAG_BYTES;
  if (length > bodyScratch.length) bodyScratch = Buffer.alloc(length * 2);
  iv.copy(bodyScratch, 0);
  ciphertext.copy(bodyScratch, IV_BYTES);
  tag.copy(bodyScratch, IV_BYTES + ciphertext.length);
  return `${PREFIX}${id}:${bodyScratch.toString("base64url", 0, length)}`;
}

/** Decrypts a value in the format above; throws DecodeError when it cannot be authenticated. */
export function decodeValue(stored: string, ring: KeyRing, where: ValueContext): unknown {
  const rest = stored.slice(PREFIX.length);
  const colon = rest.indexOf(":");
  if (colon <= 0) throw new DecodeError("malformed", undefined);
  const keyId = rest.slice(0, colon);
  // Not a key id the kit could have written (a plaintext value that happens to start with the
  // prefix, say): it is not repeated in the error, which would show part of the value.
  if (!isKeyId(keyId)) throw new DecodeError("malformed", undefined);
  const key = ring.byId(keyId);
  if (!key) throw new DecodeError("unknown-key", keyId);
  const body = Buffer.from(rest.slice(colon + 1), "base64url");
  if (body.length < IV_BYTES + TAG_BYTES + 1) throw new DecodeError("malformed", keyId);
  let plain: string;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, body.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aadBytes(keyId, where));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    plain = Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new DecodeError("authentication", keyId);
  }
  // Authenticated, so the type byte is ours; still, never hand back garbage.
  if (plain.startsWith("s")) return plain.slice(1);
  if (plain.startsWith("j")) {
    try {
      return JSON.parse(plain.slice(1));
    } catch {
      throw new DecodeError("malformed", keyId);
    }
  }
  throw new DecodeError("malformed", keyId);
}

/** The key id a stored value was encrypted with, or undefined for a plaintext value. */
export function keyIdOf(stored: unknown): string | undefined {
  if (!isEncrypted(stored)) return undefined;
  const rest = stored.slice(PREFIX.length);
  const colon = rest.indexOf(":");
  return colon > 0 ? rest.slice(0, colon) : undefined;
}
