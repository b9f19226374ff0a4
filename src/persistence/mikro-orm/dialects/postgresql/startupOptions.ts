import { AdapterError, ErrorCode } from "../../../../errors/AdapterError";

/**
 * The `statement_timeout` a libpq `options` string sets (`-c statement_timeout=5s`,
 * `--statement-timeout=5s`), in ms; undefined when it sets none. `pg` sends its own
 * `statement_timeout` after `options`, and PostgreSQL applies the later one, so the kit's default
 * would silently win unless it yields to this. The value is never shown.
 */
export function statementTimeoutOfOptions(options: string | null, where: string): number | undefined {
  if (options === null) return undefined;
  let found: string | undefined;
  const words = splitOptions(options);
  for (let i = 0; i < words.length; i++) {
    const setting = words[i] === "-c" ? words[++i] : words[i].startsWith("-c") ? words[i].slice(2) : words[i].startsWith("--") ? words[i].slice(2) : undefined;
    if (setting === undefined) continue;
    const eq = setting.indexOf("=");
    // PostgreSQL reads setting names case-insensitively, with dashes as underscores.
    if (eq > 0 && setting.slice(0, eq).toLowerCase().replace(/-/g, "_") === "statement_timeout") found = setting.slice(eq + 1);
  }
  if (found === undefined) return undefined;
  const millis = durationMillis(found);
  if (millis === undefined) {
    throw new AdapterError(ErrorCode.CONFIGURATION, `${where}: the URL's options set statement_timeout to something that is not a duration (such as 5s or 5000); the URL is not shown`);
  }
  return millis;
}

/** libpq splits `options` on whitespace a backslash does not escape. */
function splitOptions(options: string): string[] {
  const words: string[] = [];
  let word = "";
  for (let i = 0; i < options.length; i++) {
    const c = options[i];
    if (c === "\\" && i + 1 < options.length) word += options[++i];
    else if (/\s/.test(c)) {
      if (word !== "") words.push(word);
      word = "";
    } else word += c;
  }
  if (word !== "") words.push(word);
  return words;
}

const UNIT_MILLIS: Record<string, number> = { us: 0.001, ms: 1, s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A PostgreSQL time setting in ms: a number with an optional unit, milliseconds when it has none. */
function durationMillis(text: string): number | undefined {
  const match = /^\s*'?\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*'?\s*$/.exec(text);
  if (match === null) return undefined;
  return Math.round(Number(match[1]) * UNIT_MILLIS[match[2] ?? "ms"]);
}
