import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/** One RSA signing key per process: the provider's keys live only as long as it runs. */
export class SigningKey {
  readonly kid = randomUUID();
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 }));
  }

  /** The JWKS document clients verify ID tokens with. */
  jwks() {
    return { keys: [{ ...this.publicKey.export({ format: "jwk" }), kid: this.kid, alg: "RS256", use: "sig" }] };
  }

  /** A compact RS256 JWT. */
  sign(claims: Record<string, unknown>): string {
    const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: this.kid }));
    const payload = b64url(JSON.stringify(claims));
    const signature = sign("sha256", Buffer.from(`${header}.${payload}`), this.privateKey);
    return `${header}.${payload}.${b64url(signature)}`;
  }
}

/** PKCE S256: base64url(sha256(verifier)). */
export function s256(verifier: string): string {
  return b64url(createHash("sha256").update(verifier).digest());
}
