import { AdapterError, ErrorCode } from "../errors/AdapterError";
import { SessionTokenHasher } from "../kernel/sessionTokens";

/** What `createAdapterKit` reads to decide how session tokens are stored. */
export interface SessionTokenOptions {
  /** `"hashed"` (HMAC-SHA-256 under a key derived from `secret`) or `"raw"`. */
  sessionTokens?: "hashed" | "raw";
  /** The migration window: also accept sessions stored raw before hashing was on. Default false. */
  acceptRawSessionTokens?: boolean;
  /** Default `process.env.AUTH_SECRET`, then `NEXTAUTH_SECRET`. At least 32 bytes. */
  secret?: string | Buffer;
}

/** Used only outside production without a secret, and said so once: tokens are still never stored raw. */
const DEVELOPMENT_SECRET = "nextauth-adapter-kit development secret: never used under NODE_ENV=production";
const MIN_SECRET_BYTES = 32;
let warnedNoSecret = false;

/**
 * The hasher for these options, or undefined when tokens are stored raw (`sessionTokens: "raw"`, the
 * default for `nextAuthV3Entities()`, since NextAuth v3 itself reads that table).
 */
export function sessionTokenHasher(options: SessionTokenOptions, rawByDefault: boolean): SessionTokenHasher | undefined {
  const mode = options.sessionTokens ?? (rawByDefault ? "raw" : "hashed");
  if (mode !== "hashed" && mode !== "raw") throw new AdapterError(ErrorCode.CONFIGURATION, 'createAdapterKit: sessionTokens must be "hashed" or "raw"');
  if (options.acceptRawSessionTokens !== undefined && typeof options.acceptRawSessionTokens !== "boolean") {
    throw new AdapterError(ErrorCode.CONFIGURATION, "createAdapterKit: acceptRawSessionTokens must be a boolean");
  }
  if (mode === "raw") return undefined;
  return new SessionTokenHasher(secretOf(options.secret), options.acceptRawSessionTokens === true);
}

function secretOf(given: string | Buffer | undefined): string | Buffer {
  const secret = given ?? process.env.AUTH_SECRET ?? process.env.NEXTAUTH_SECRET;
  if (secret === undefined || secret === "") {
    if (process.env.NODE_ENV === "production") {
      throw new AdapterError(
        ErrorCode.CONFIGURATION,
        'session tokens are stored as an HMAC keyed by the kit\'s `secret`: set AUTH_SECRET (or pass `secret`), or pass `sessionTokens: "raw"` to store them raw',
      );
    }
    if (!warnedNoSecret && process.env.NODE_ENV !== "test") {
      warnedNoSecret = true;
      process.emitWarning("nextauth-adapter-kit: no `secret` (AUTH_SECRET): session tokens are hashed under a development key; set AUTH_SECRET before production, where it is required", {
        code: "NAK_NO_SECRET",
      });
    }
    return DEVELOPMENT_SECRET;
  }
  if (typeof secret !== "string" && !Buffer.isBuffer(secret)) throw new AdapterError(ErrorCode.CONFIGURATION, "createAdapterKit: secret must be a string or a Buffer");
  // The length only, never the value.
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new AdapterError(ErrorCode.CONFIGURATION, `createAdapterKit: secret (or AUTH_SECRET) must be at least ${MIN_SECRET_BYTES} bytes (openssl rand -base64 32)`);
  }
  return secret;
}
