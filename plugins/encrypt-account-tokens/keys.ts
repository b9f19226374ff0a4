import { createSecretKey, KeyObject } from "node:crypto";
import { AdapterError, ErrorCode } from "../../src/plugin-api";

/** One AES-256 key and the id stored with every value it encrypts. */
export interface AccountTokenKey {
  /** Short and stable, e.g. "2026-12": letters, digits, `.`, `_`, `-` (at most 64). It is stored in every value. */
  id: string;
  /** 32 bytes: a Buffer, a base64 string of 32 bytes (`openssl rand -base64 32`), or a secret KeyObject of 32 bytes. */
  key: Buffer | Uint8Array | string | KeyObject;
}

/**
 * A key ring after validation: the first key encrypts, every key decrypts. The keys are held as
 * KeyObjects: their bytes live outside the JavaScript heap (a heap dump or a stray `inspect` shows
 * none), and a cipher is set up from one in about half the time it takes from a Buffer.
 */
export interface KeyRing {
  readonly current: { id: string; key: KeyObject };
  byId(id: string): KeyObject | undefined;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** True for a well-formed key id: only such an id is ever named in an error. */
export const isKeyId = (id: string): boolean => KEY_ID.test(id);
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function configError(message: string): AdapterError {
  return new AdapterError(ErrorCode.CONFIGURATION, `encryptAccountTokens: ${message}`);
}

/** The 32 key bytes, or a CONFIGURATION error naming the key id (never the key). */
function keyBytes(entry: AccountTokenKey): Buffer {
  const raw = entry.key;
  let bytes: Buffer | undefined;
  if (typeof raw === "string") {
    const text = raw.trim();
    if (BASE64.test(text)) bytes = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  } else if (raw instanceof Uint8Array) {
    bytes = Buffer.from(raw);
  }
  if (!bytes || bytes.length !== 32) {
    const got = bytes ? `${bytes.length} bytes` : "not a Buffer or base64 string";
    throw configError(`key "${entry.id}" must be 32 bytes (a Buffer or base64 of 32 bytes), got ${got}`);
  }
  return bytes;
}

/** The key as a KeyObject; the copy of its bytes made here is wiped (the caller's own is theirs). */
function secretKey(entry: AccountTokenKey): KeyObject {
  const raw = entry.key;
  if (raw instanceof KeyObject) {
    if (raw.type === "secret" && raw.symmetricKeySize === 32) return raw;
    throw configError(`key "${entry.id}" must be 32 bytes, got a ${raw.type} KeyObject${raw.type === "secret" ? ` of ${raw.symmetricKeySize} bytes` : ""}`);
  }
  const bytes = keyBytes(entry);
  try {
    return createSecretKey(bytes);
  } finally {
    bytes.fill(0);
  }
}

/** Validates a key list: at least one key, well-formed unique ids, 32-byte keys. */
export function keyRing(entries: readonly AccountTokenKey[]): KeyRing {
  if (!Array.isArray(entries) || entries.length === 0) throw configError("keys must list at least one key");
  const keys = new Map<string, KeyObject>();
  for (const entry of entries) {
    const id = (entry as Partial<AccountTokenKey> | null)?.id;
    if (typeof id !== "string" || !KEY_ID.test(id)) {
      throw configError("every key needs an id of letters, digits, '.', '_' or '-' (at most 64 characters)");
    }
    if (keys.has(id)) throw configError(`key id "${id}" is listed twice`);
    keys.set(id, secretKey(entry));
  }
  const [id, key] = keys.entries().next().value as [string, KeyObject];
  return { current: { id, key }, byId: (keyId) => keys.get(keyId) };
}
