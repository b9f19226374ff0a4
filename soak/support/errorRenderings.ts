/** What an app or an error tracker prints of an error (campaign 6 scans it for secrets). */
import { inspect } from "node:util";
import pino from "pino";

/**
 * `util.inspect` at full depth (console.error), JSON.stringify, pino's standard `err` serializer,
 * and every own property along the `cause` chain.
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
