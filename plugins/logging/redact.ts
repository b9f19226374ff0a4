/**
 * Redaction for the logging plugin. Arguments are never logged; what can still carry a secret is an
 * error message (MikroORM puts the SQL with its inlined parameters in its messages). So a message
 * loses its SQL statement, then is scrubbed twice: by value (every secret and e-mail found in the
 * call's arguments) and by pattern (e-mail-like and token-like strings, e.g. the hash the store saw
 * instead of the token).
 */

export const REDACTED = "[REDACTED]";
export const EMAIL_REDACTED = "[EMAIL]";

/** Keys whose values (and everything below them) are secrets: tokens, secrets, passwords, credentials. */
const SECRET_KEY = /token|secret|passw|^credentials$/i;
/** Keys matching SECRET_KEY that hold no secret (`token_type` is "bearer"). */
const NOT_SECRET = new Set(["token_type"]);
/** Keys holding an e-mail address: the user's, or a verification request's identifier. */
const EMAIL_KEY = new Set(["email", "identifier"]);

const EMAIL_PATTERN = /[^\s@"'`<>()[\]{},;:=]+@[^\s@"'`<>()[\]{},;:=]+\.[^\s@"'`<>()[\]{},;:=]+/g;
/** Long runs of token alphabet containing both a letter and a digit: hex, base64url, JWTs, UUIDs. */
const TOKEN_PATTERN = /[A-Za-z0-9+/_=.~-]{20,}/g;
const HAS_LETTER_AND_DIGIT = /(?=.*[A-Za-z])(?=.*\d)/;

const MAX_MESSAGE = 500;
/** Longest text the patterns scan. */
const MAX_SCANNED = 4 * MAX_MESSAGE;
/** Longest e-mail address (64 + 1 + 255). */
const MAX_EMAIL = 320;
const MAX_DEPTH = 6;

/** Every secret (and, unless `logEmails`, every e-mail) among the string values of `sources`. */
export function sensitiveValues(sources: readonly unknown[], logEmails: boolean): string[] {
  const found = new Set<string>();
  const seen = new WeakSet<object>();
  const walk = (value: unknown, key: string, secret: boolean, depth: number): void => {
    if (typeof value === "string") {
      if (value.length === 0) return;
      if (secret || (!logEmails && (EMAIL_KEY.has(key) || value.includes("@")))) found.add(value);
      return;
    }
    if (typeof value === "number" || typeof value === "bigint") {
      if (secret) found.add(String(value));
      return;
    }
    if (value === null || typeof value !== "object" || depth > MAX_DEPTH || seen.has(value) || value instanceof Date) return;
    seen.add(value);
    for (const [k, v] of Object.entries(value)) walk(v, k, secret || (SECRET_KEY.test(k) && !NOT_SECRET.has(k)), depth + 1);
  };
  for (const source of sources) walk(source, "", false, 0);
  // Longest first, so a value containing another is replaced whole.
  return [...found].sort((a, b) => b.length - a.length);
}

/** A message that opens with an SQL statement (MikroORM's form: `<sql with values> - <server message>`). */
const STATEMENT = /^\s*(insert|update|delete|select|with|merge)\b/i;

/**
 * The server's words without the statement: the statement holds every value the row had (names,
 * images, custom fields), which no scrubbing list can know. Detail lines after the first stay.
 */
export function withoutStatement(text: string): string {
  const [first = "", ...rest] = text.split("\n");
  if (!STATEMENT.test(first)) return text;
  const cut = first.lastIndexOf(" - ");
  return [cut >= 0 ? first.slice(cut + 3) : "(statement omitted)", ...rest].join("\n");
}

/** `text` with the known values and anything e-mail-like or token-like replaced, and capped in length. */
export function scrub(text: string, values: readonly string[], logEmails: boolean): string {
  let out = withoutStatement(text);
  for (const value of values) out = out.split(value).join(REDACTED);
  // The patterns backtrack (cost grows with the square of a run's length): a 1 MB value in a driver
  // message blocked the process for minutes. Cut first; a run cut here lies past anything that can
  // reach the capped output (a replacement at most halves a run).
  if (out.length > MAX_SCANNED) out = out.slice(0, MAX_SCANNED);
  if (!logEmails) out = out.replace(EMAIL_PATTERN, EMAIL_REDACTED);
  out = out.replace(TOKEN_PATTERN, (run) => (HAS_LETTER_AND_DIGIT.test(run) ? REDACTED : run));
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out;
}

/** True when a string looks like an e-mail address. */
export function looksLikeEmail(value: string): boolean {
  // No "@", no match: skips a regex that backtracks over every id on every logged call.
  if (!value.includes("@")) return false;
  // Too long to scan cheaply (the pattern backtracks) and too long to be worth logging as an id.
  if (value.length > MAX_EMAIL) return true;
  EMAIL_PATTERN.lastIndex = 0;
  const match = EMAIL_PATTERN.test(value);
  EMAIL_PATTERN.lastIndex = 0;
  return match;
}
