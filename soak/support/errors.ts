/** Classifying what a call threw, and keeping a few examples for the report. */
import { AdapterError } from "../../src";

/** The AdapterError code, or "untyped" for anything else. */
export function codeOf(error: unknown): string {
  return error instanceof AdapterError ? error.code : "untyped";
}

/** A short description of a thrown value for the report's examples. */
export function describeError(error: unknown): string {
  if (error instanceof AdapterError) {
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    const causeText = cause ? ` (cause: ${String(cause.code ?? "")} ${String(cause.message ?? cause).slice(0, 160)})` : "";
    return `AdapterError ${error.code}: ${error.message.slice(0, 200)}${causeText}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message.slice(0, 200)}`;
  return `non-error thrown: ${String(error).slice(0, 200)}`;
}

/** Counts by key, with the first `keep` examples of each. */
export class Tally {
  readonly counts: Record<string, number> = {};
  readonly examples: Record<string, string[]> = {};

  constructor(private readonly keep = 3) {}

  add(key: string, example?: string): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    if (example !== undefined) {
      const list = (this.examples[key] ??= []);
      if (list.length < this.keep) list.push(example.slice(0, 400));
    }
  }

  count(key: string): number {
    return this.counts[key] ?? 0;
  }

  total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}
