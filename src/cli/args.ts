import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "./CliError";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  database: { type: "string" },
  config: { type: "string" },
  json: { type: "boolean" },
  timeout: { type: "string" },
  help: { type: "boolean", short: "h" },
} satisfies OptionSpec;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Node's own parser, strict: an unknown flag or a missing value is a one-line usage error. */
export function parse(argv: readonly string[], options: OptionSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (error) {
    throw new CliError(parseError(error), true);
  }
}

/** parseArgs' message, shortened to what went wrong and with which flag (never the value given). */
function parseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : "";
  const flag = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${flag ?? ""}`.trim();
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (!flag) return "bad option value";
    if (message.includes("argument missing")) return `option ${flag} needs a value`;
    if (message.includes("ambiguous")) return `option ${flag} needs a value (for one starting with "-", write ${flag}=<value>)`;
    return `option ${flag} takes no value`;
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return "unexpected argument";
  return "bad arguments";
}

/** A positive integer flag (`--batch-size 500`), or the default. */
export function positiveInteger(values: ParsedArgs["values"], name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== "string" || !/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw new CliError(`--${name} must be a positive whole number`, true);
  }
  return value;
}

/** At most `max` positionals; the command's own words only. */
export function expectPositionals(args: ParsedArgs, max: number): void {
  if (args.positionals.length > max) throw new CliError(`unexpected argument ${shownArgument(args.positionals[max]!)}`, true);
}

/**
 * How a word the CLI did not expect is quoted back. A database URL typed without `--database`
 * lands here before any secret is known to the output's masking, so a URL is named by its scheme
 * only, and a word with `@`, `:` or `=` (a password, `user:pass@host`) is not shown at all.
 */
export function shownArgument(word: string): string {
  const scheme = /^([a-z][a-z0-9+.-]{0,20}):\/\//i.exec(word)?.[1];
  if (scheme) return `(a ${scheme}:// URL, not shown: give a database as --database <url> or DATABASE_URL)`;
  if (/[@:=]/.test(word)) return "(not shown: it may hold a secret)";
  return `"${word.slice(0, 40)}"`;
}
