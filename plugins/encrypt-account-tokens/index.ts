/**
 * encryptAccountTokens: OAuth access, refresh and id tokens (and any account column the app names)
 * are encrypted with AES-256-GCM before they reach a store, and decrypted wherever accounts come
 * back, so a database dump or backup holds no live provider credential.
 *
 * - Keys rotate: the first key encrypts, every listed key decrypts. Each value carries its key id.
 * - Each value is bound to its row and column (provider, providerAccountId, field): a ciphertext
 *   copied elsewhere does not decrypt.
 * - A value that does not decrypt is a `DECRYPTION_FAILED` AdapterError naming the provider and the
 *   field, never garbage. Its message carries no value, so logs and metrics stay clean.
 * - `allowPlaintext` (default false) reads values written before the plugin was on.
 *
 * Order 800: inside team plugins (they see accounts as the app does), outside the hashing plugin.
 * The value format lives in format.ts, the key checks in keys.ts.
 */
import { AdapterError, ErrorCode, type AdapterPlugin, type OperationContext, type OperationName } from "../../src/plugin-api";
import { decodeValue, DecodeError, encodeValue, isEncrypted, keyIdOf, type ValueContext } from "./format";
import { keyRing, type AccountTokenKey, type KeyRing } from "./keys";

export type { AccountTokenKey } from "./keys";

export interface EncryptAccountTokensOptions {
  /**
   * The key ring, newest first: the first key encrypts, all of them decrypt. Either a list, or an
   * async provider (a KMS call) the plugin calls on first use and then keeps; a provider that
   * fails is retried on the next call.
   */
  keys: readonly AccountTokenKey[] | (() => Promise<readonly AccountTokenKey[]>);
  /** Further account properties to encrypt, e.g. a custom `oauth_token_secret` column (text columns only). */
  fields?: readonly string[];
  /**
   * Read values that are not encrypted as they are (rows written before the plugin was on).
   * Default false: a plaintext value in an encrypted column is either an old row or a row someone
   * altered, and the kit cannot tell which, so it refuses unless a migration is declared.
   */
  allowPlaintext?: boolean;
  /** Position in the onion. Default 800 (`ENCRYPTION_ORDER`). */
  order?: number;
}

/** What re-encrypting one stored account row came to (`kit.reencryptAccountTokens()`). */
export type RowReencryption =
  /** `changes`: the new stored values (ciphertext only) of the fields that change. */
  | { outcome: "rewritten" | "plaintextEncrypted"; changes: Record<string, string> }
  | { outcome: "alreadyCurrent" }
  /** Left as it is: a field did not decrypt (the reason, never the value). */
  | { outcome: "failed"; field: string; reason: AccountDecryptionError["reason"] };

/** The plugin, plus what the re-encryption job needs from it; the keys never leave it. */
export interface EncryptAccountTokensPlugin extends AdapterPlugin {
  /**
   * One stored account row (values as stored) re-encrypted under the current key: plaintext
   * values encrypted, values under an older key re-encrypted, current ones checked. Never throws
   * for a value that does not decrypt: that row is `failed` and stays as it is.
   */
  reencryptRow(row: Readonly<Record<string, unknown>>): Promise<RowReencryption>;
}

export const ENCRYPT_PLUGIN_NAME = "encrypt-account-tokens";
/** Inside team plugins (`PluginOrder.DEFAULT`), outside the hashing plugin (`PluginOrder.HASHING`). */
export const ENCRYPTION_ORDER = 800;

/** The error for a stored value that could not be read back; says where, never what. */
export class AccountDecryptionError extends AdapterError {
  constructor(
    readonly provider: string,
    readonly field: string,
    readonly keyId: string | undefined,
    readonly reason: "unknown-key" | "malformed" | "authentication" | "plaintext",
    operation: string,
  ) {
    super(ErrorCode.DECRYPTION_FAILED, `the ${field} of a "${provider}" account could not be decrypted (${explain(reason, keyId)})`, { operation });
  }
}

function explain(reason: AccountDecryptionError["reason"], keyId: string | undefined): string {
  switch (reason) {
    case "unknown-key":
      return `key "${keyId}" is not in the key ring`;
    case "plaintext":
      return "the value is not encrypted; set allowPlaintext during a migration";
    case "malformed":
      return "the value is not in the encrypted format";
    default:
      return `wrong key "${keyId}" or the value was altered or moved from another row`;
  }
}

const TOKEN_FIELDS = ["access_token", "refresh_token", "id_token"] as const;
/** Columns the AAD and the lookups use: encrypting them would break both. */
const RESERVED = new Set(["id", "userId", "type", "provider", "providerAccountId"]);
const OPERATIONS: readonly OperationName[] = ["linkAccount", "getAccount", "unlinkAccount"];

type Row = Record<string, unknown>;

export function encryptAccountTokens(options: EncryptAccountTokensOptions): EncryptAccountTokensPlugin {
  if (!options || typeof options !== "object") throw new AdapterError(ErrorCode.CONFIGURATION, "encryptAccountTokens: options with `keys` are required");
  const fields = [...TOKEN_FIELDS, ...validFields(options.fields ?? [])];
  const allowPlaintext = options.allowPlaintext ?? false;
  const ring = ringSource(options.keys);

  function encryptRow(args: Row, keys: KeyRing): Row {
    const out = { ...args };
    for (const field of fields) {
      const value = out[field];
      if (value === undefined || value === null) continue;
      out[field] = encodeValue(value, keys, where(args, field));
    }
    return out;
  }

  /** Decrypts every encrypted field; `lenient` drops a field that does not decrypt instead of throwing. */
  async function decryptRow(row: Row, operation: string, lenient: boolean): Promise<Row> {
    let keys: KeyRing | undefined;
    const out = { ...row };
    for (const field of fields) {
      const value = out[field];
      if (value === undefined || value === null) continue;
      try {
        if (!isEncrypted(value)) {
          if (allowPlaintext) continue;
          throw new AccountDecryptionError(String(row.provider), field, undefined, "plaintext", operation);
        }
        keys ??= await ring();
        out[field] = decodeValue(value, keys, where(row, field));
      } catch (error) {
        const failure =
          error instanceof DecodeError ? new AccountDecryptionError(String(row.provider), field, error.keyId, error.reason, operation) : error;
        if (lenient && failure instanceof AccountDecryptionError) delete out[field];
        else throw failure;
      }
    }
    return out;
  }

  function link(ctx: OperationContext, keys: KeyRing, next: () => Promise<unknown>): Promise<unknown> {
    const given = ctx.args as Row;
    ctx.args = encryptRow(given, keys) as never;
    // The caller gets back the values it passed, never the stored ciphertext.
    return next().then((stored) => stored && restore(stored as Row, given, fields));
  }

  async function reencryptRow(row: Readonly<Row>): Promise<RowReencryption> {
    const keys = await ring();
    const changes: Record<string, string> = {};
    let plaintext = false;
    for (const field of fields) {
      const value = row[field];
      if (value === undefined || value === null) continue;
      if (!isEncrypted(value)) {
        plaintext = true;
        changes[field] = encodeValue(value, keys, where(row, field));
        continue;
      }
      let plain: unknown;
      try {
        plain = decodeValue(value, keys, where(row, field));
      } catch (error) {
        if (error instanceof DecodeError) return { outcome: "failed", field, reason: error.reason };
        throw error;
      }
      // Checked above (it authenticates); re-encrypted only when under another key.
      if (keyIdOf(value) !== keys.current.id) changes[field] = encodeValue(plain, keys, where(row, field));
    }
    if (Object.keys(changes).length === 0) return { outcome: "alreadyCurrent" };
    return { outcome: plaintext ? "plaintextEncrypted" : "rewritten", changes };
  }

  return {
    name: ENCRYPT_PLUGIN_NAME,
    reencryptRow,
    order: options.order ?? ENCRYPTION_ORDER,
    operations: OPERATIONS,
    around(ctx: OperationContext, next) {
      if (ctx.operation === "linkAccount") {
        // A literal key list is at hand: no promise step before the INSERT.
        const keys = ring();
        return keys instanceof Promise ? keys.then((ready) => link(ctx, ready, next)) : link(ctx, keys, next);
      }
      return next().then((row) => {
        if (!row) return row;
        // unlinkAccount: the row is gone already; failing would report a committed unlink as failed
        // (and hide its owner from the session cache), so a value that does not decrypt is left out.
        return decryptRow(row as Row, ctx.operation, ctx.operation === "unlinkAccount");
      });
    },
  };
}

function where(row: Row, field: string): ValueContext {
  return { provider: String(row.provider), providerAccountId: String(row.providerAccountId), field };
}

function restore(stored: Row, given: Row, fields: readonly string[]): Row {
  const out = { ...stored };
  for (const field of fields) if (isEncrypted(out[field])) out[field] = given[field];
  return out;
}

function validFields(extra: readonly string[]): string[] {
  if (!Array.isArray(extra)) throw new AdapterError(ErrorCode.CONFIGURATION, "encryptAccountTokens: fields must be a list of account property names");
  for (const field of extra) {
    if (typeof field !== "string" || field.length === 0 || RESERVED.has(field)) {
      throw new AdapterError(ErrorCode.CONFIGURATION, `encryptAccountTokens: "${String(field)}" cannot be encrypted (ids and the provider key stay readable)`);
    }
  }
  return extra.filter((field) => !(TOKEN_FIELDS as readonly string[]).includes(field));
}

/**
 * The key ring: validated now for a literal list (and then handed out as it is), on first use
 * (then kept) for a provider.
 */
function ringSource(keys: EncryptAccountTokensOptions["keys"]): () => KeyRing | Promise<KeyRing> {
  if (typeof keys !== "function") {
    const ring = keyRing(keys);
    return () => ring;
  }
  let ready: KeyRing | undefined;
  let pending: Promise<KeyRing> | undefined;
  return () => {
    if (ready) return ready;
    pending ??= Promise.resolve()
      .then(keys)
      .then(
        (list) => (ready = keyRing(list)),
        (cause: unknown) => {
          throw new AdapterError(ErrorCode.CONFIGURATION, "encryptAccountTokens: the key provider failed", { cause });
        },
      )
      .catch((error: unknown) => {
        pending = undefined; // retried on the next call
        throw error;
      });
    return pending;
  };
}
