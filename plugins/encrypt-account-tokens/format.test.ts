import { createCipheriv, createDecipheriv, createSecretKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { AdapterError } from "../../src/plugin-api";
import { decodeValue, DecodeError, encodeValue, isEncrypted, keyIdOf } from "./format";
import { keyRing } from "./keys";

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const here = { provider: "github", providerAccountId: "42", field: "access_token" };

function failure(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DecodeError) return error;
    throw error;
  }
  throw new Error("expected a DecodeError");
}

test("a value round-trips and is stored as enc:v1:<key id>:... without the plaintext", () => {
  const ring = keyRing([{ id: "2026-12", key: k1 }]);
  const stored = encodeValue("gho_secretAccessToken", ring, here);
  expect(stored.startsWith("enc:v1:2026-12:")).toBe(true);
  expect(stored).not.toContain("secretAccessToken");
  expect(isEncrypted(stored)).toBe(true);
  expect(keyIdOf(stored)).toBe("2026-12");
  expect(decodeValue(stored, ring, here)).toBe("gho_secretAccessToken");
  // A fresh IV per value: the same token never encrypts to the same text twice.
  expect(encodeValue("gho_secretAccessToken", ring, here)).not.toBe(stored);
});

test("IVs drawn from the pool: across several pools, every value has its own IV and decrypts", () => {
  const ring = keyRing([{ id: "k", key: k1 }]);
  const ivs = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const stored = encodeValue(`token-${i}`, ring, here);
    ivs.add(Buffer.from(stored.slice("enc:v1:k:".length), "base64url").subarray(0, 12).toString("hex"));
    expect(decodeValue(stored, ring, here)).toBe(`token-${i}`);
  }
  expect(ivs.size).toBe(1000);
});

test("non-string values in app-named columns round-trip as their JSON", () => {
  const ring = keyRing([{ id: "a", key: k1 }]);
  const value = { nested: [1, "two", null], ok: true };
  expect(decodeValue(encodeValue(value, ring, here), ring, here)).toEqual(value);
  expect(decodeValue(encodeValue(12345, ring, here), ring, here)).toBe(12345);
});

test("rotation: the first key encrypts, every key decrypts", () => {
  const old = keyRing([{ id: "old", key: k1 }]);
  const rotated = keyRing([
    { id: "new", key: k2 },
    { id: "old", key: k1 },
  ]);
  const before = encodeValue("token-before", old, here);
  expect(decodeValue(before, rotated, here)).toBe("token-before");
  expect(keyIdOf(encodeValue("token-after", rotated, here))).toBe("new");
  // Once the old key leaves the ring, its values are refused, not guessed at.
  expect(failure(() => decodeValue(before, keyRing([{ id: "new", key: k2 }]), here))).toMatchObject({ reason: "unknown-key", keyId: "old" });
});

test("the AAD binds a value to its provider, account and field", () => {
  const ring = keyRing([{ id: "a", key: k1 }]);
  const stored = encodeValue("bound", ring, here);
  for (const elsewhere of [
    { ...here, provider: "google" },
    { ...here, providerAccountId: "43" },
    { ...here, field: "refresh_token" },
  ]) {
    expect(failure(() => decodeValue(stored, ring, elsewhere)).reason).toBe("authentication");
  }
});

test("a tampered, truncated or relabelled value is refused", () => {
  const ring = keyRing([
    { id: "a", key: k1 },
    { id: "b", key: k2 },
  ]);
  const stored = encodeValue("tamper-me", ring, here);
  const body = Buffer.from(stored.slice("enc:v1:a:".length), "base64url");
  body[14] = body[14]! ^ 1;
  expect(failure(() => decodeValue(`enc:v1:a:${body.toString("base64url")}`, ring, here)).reason).toBe("authentication");
  expect(failure(() => decodeValue(stored.slice(0, 20), ring, here)).reason).toBe("malformed");
  // Claiming another key id: the id is in the AAD, and the other key fails anyway.
  expect(failure(() => decodeValue(stored.replace("enc:v1:a:", "enc:v1:b:"), ring, here)).reason).toBe("authentication");
  expect(failure(() => decodeValue("enc:v1:nocolon", ring, here)).reason).toBe("malformed");
});

test("a value that only looks encrypted is malformed, and what stands where the key id would is never repeated", () => {
  const ring = keyRing([{ id: "a", key: k1 }]);
  // A plaintext token stored before encryption was on, which happens to start with the prefix.
  const refused = failure(() => decodeValue("enc:v1:ya29 secret/access+token:rest", ring, here));
  expect([refused.reason, refused.keyId]).toEqual(["malformed", undefined]);
  // A well-formed id that is not in the ring is still named: it is the kit's own label.
  expect(failure(() => decodeValue("enc:v1:retired-2025:AAAA", ring, here)).keyId).toBe("retired-2025");
});

test("keys: 32 bytes as a Buffer or base64; anything else is CONFIGURATION naming the id, not the key", () => {
  expect(keyRing([{ id: "b64", key: k1.toString("base64") }]).current.key.export().equals(k1)).toBe(true);
  expect(keyRing([{ id: "b64url", key: k1.toString("base64url") }]).current.key.export().equals(k1)).toBe(true);
  const secretText = "a-passphrase-that-is-not-a-key-0123456789";
  const bad = [
    [{ id: "short", key: randomBytes(16) }],
    [{ id: "hex", key: k1.toString("hex") }],
    [{ id: "text", key: secretText }],
    [{ id: "bad id!", key: k1 }],
    [
      { id: "twice", key: k1 },
      { id: "twice", key: k2 },
    ],
    [],
  ];
  for (const keys of bad) {
    let error: unknown;
    try {
      keyRing(keys as never);
    } catch (e) {
      error = e;
    }
    expect(AdapterError.is(error, "CONFIGURATION")).toBe(true);
    expect((error as Error).message).not.toContain(secretText);
    expect((error as Error).message).not.toContain(k1.toString("hex"));
  }
});

test("the ring keeps no key bytes where a log or an inspect could show them, and leaves the caller's key as it was", () => {
  const given = Buffer.from(k1);
  const ring = keyRing([{ id: "a", key: given }]);
  expect(given.equals(k1)).toBe(true);
  const shown = inspect(ring, { depth: 5, showHidden: true }) + JSON.stringify(ring);
  for (const spelling of ["hex", "base64", "base64url"] as const) expect(shown).not.toContain(k1.toString(spelling));
  expect(shown).not.toMatch(/<Buffer/);
});

test("a key given as a secret KeyObject encrypts what a Buffer of the same bytes decrypts; a KeyObject of another size or type is refused", () => {
  const stored = encodeValue("gho_token", keyRing([{ id: "a", key: createSecretKey(k1) }]), here);
  expect(decodeValue(stored, keyRing([{ id: "a", key: k1 }]), here)).toBe("gho_token");
  const { privateKey } = generateKeyPairSync("ed25519");
  for (const key of [createSecretKey(randomBytes(16)), privateKey]) {
    expect(() => keyRing([{ id: "odd", key }])).toThrow(/key "odd" must be 32 bytes/);
  }
});

/** The documented format, written out plainly: what a value stored by any version must decrypt with. */
function decryptByTheSpec(stored: string, key: Buffer, keyId: string, where: typeof here): string {
  const body = Buffer.from(stored.slice(`enc:v1:${keyId}:`.length), "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, body.subarray(0, 12), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(JSON.stringify(["v1", keyId, where.provider, where.providerAccountId, where.field])));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]).toString("utf8");
}

function encryptByTheSpec(plain: string, key: Buffer, keyId: string, where: typeof here): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(JSON.stringify(["v1", keyId, where.provider, where.providerAccountId, where.field])));
  const body = Buffer.concat([iv, cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `enc:v1:${keyId}:${body.toString("base64url")}`;
}

test("the stored format is the documented one, both ways (non-ASCII row keys and values included)", () => {
  const ring = keyRing([{ id: "spec", key: k1 }]);
  const places = [here, { provider: "gitlab-é", providerAccountId: "账户-" + "x".repeat(300), field: "id_token" }];
  for (const where of places) {
    for (const token of ["gho_short", "ünïcødé-" + "t".repeat(2000)]) {
      expect(decryptByTheSpec(encodeValue(token, ring, where), k1, "spec", where)).toBe(`s${token}`);
      expect(decodeValue(encryptByTheSpec(`s${token}`, k1, "spec", where), ring, where)).toBe(token);
    }
  }
});
