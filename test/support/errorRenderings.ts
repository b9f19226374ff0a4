/** What an app or an error tracker prints of an error (the tests and the soak scan it for secrets). */
import { inspect } from "node:util";
import pino from "pino";

/**
 * Everything an app or an error tracker might print of an error: `util.inspect` at full depth
 * (what console.error shows), JSON.stringify, pino's standard `err` serializer, and a walk of the
 * `cause` chain over every own property (enumerable or not).
 */
export function errorRenderings(error: unknown): string {
  const parts = [inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error) ?? "", JSON.stringify(pino.stdSerializers.err(error as Error))];
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    for (const key of Object.getOwnPropertyNames(e)) parts.push(`${key}=${String((e as Record<string, unknown>)[key])}`);
  }
  return parts.join("\n");
}

/** The values of `secrets` that appear in any rendering of `error`. */
export function leakedBy(error: unknown, secrets: string[]): string[] {
  const text = errorRenderings(error);
  return secrets.filter((secret) => text.includes(secret));
}
