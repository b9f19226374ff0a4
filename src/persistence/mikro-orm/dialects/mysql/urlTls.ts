import { readFileSync } from "node:fs";
import type { ConnectionOptions as TlsOptions } from "node:tls";
import { AdapterError, ErrorCode } from "../../../../errors/AdapterError";

/** The TLS settings a `mysql://` or `mariadb://` URL may carry, in the spellings drivers and tools use. */
const SSL = "ssl";
const MODES = ["ssl-mode", "sslmode", "sslMode"];
const CA_FILES = ["sslrootcert", "ssl-ca", "sslca"];
export const TLS_PARAMETERS = [SSL, ...MODES, ...CA_FILES];

/**
 * The TLS a MySQL or MariaDB URL's parameters ask for; undefined when they say nothing about TLS.
 *
 * MikroORM keeps host, port, user, password and database of a client URL and drops the query, so
 * `?ssl-mode=REQUIRED` connected in plaintext. Read here:
 * - `ssl`: `true`/`1`, `false`/`0`, or a JSON object of TLS options (mysql2's own URL form);
 * - `ssl-mode` (or `sslmode`, `sslMode`): `DISABLED` is plaintext; every other mode verifies the
 *   certificate and host name, as `pg` does for `sslmode=require`: stricter than MySQL's
 *   `REQUIRED`, never weaker than what was asked;
 * - `sslrootcert` (or `ssl-ca`, `sslca`): a CA file to verify against.
 * Errors never show the URL, a value or a path.
 */
export function tlsOfMySqlUrl(params: URLSearchParams): boolean | TlsOptions | undefined {
  const flag = params.get(SSL);
  const mode = MODES.map((name) => params.get(name)).find((value) => value !== null);
  const caFile = CA_FILES.map((name) => params.get(name)).find((value) => value !== null);
  const wanted = [flag === null ? undefined : sslFlag(flag), mode === undefined ? undefined : sslMode(mode)].filter((v) => v !== undefined);
  if (wanted.includes(false)) {
    if (wanted.some((v) => v !== false) || caFile !== undefined) throw refused("its TLS parameters contradict each other (TLS off and on)");
    return false;
  }
  if (wanted.length === 0 && caFile === undefined) return undefined;
  const options: TlsOptions = Object.assign({}, ...wanted.filter((v): v is TlsOptions => typeof v === "object"));
  if (caFile !== undefined) options.ca = readCa(caFile);
  return options;
}

function sslFlag(value: string): boolean | TlsOptions {
  if (value === "true" || value === "1") return {};
  if (value === "false" || value === "0") return false;
  if (value.startsWith("{")) {
    try {
      const parsed = JSON.parse(value) as unknown;
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as TlsOptions;
    } catch {
      // reported below, without the value
    }
  }
  throw refused("ssl must be true, false or a JSON object of TLS options");
}

function sslMode(value: string): boolean | TlsOptions {
  const mode = value.toUpperCase().replace(/-/g, "_");
  if (mode === "DISABLED" || mode === "DISABLE") return false;
  if (["PREFERRED", "PREFER", "REQUIRED", "REQUIRE", "VERIFY_CA", "VERIFY_IDENTITY", "VERIFY_FULL"].includes(mode)) return {};
  throw refused("ssl-mode must be DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY");
}

function readCa(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw refused("the CA file it names is missing or unreadable");
  }
}

export function refused(why: string): AdapterError {
  return new AdapterError(ErrorCode.CONFIGURATION, `database: a MySQL/MariaDB URL's parameters: ${why}; the URL is not shown`);
}
