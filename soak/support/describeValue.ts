/** A short, printable description of a generated argument list, for the report's examples. */
export function describeArgs(args: unknown[]): string {
  const seen = new WeakSet<object>();
  const text = JSON.stringify(args, function (this: unknown, key, value: unknown) {
    const raw = key === "" ? value : (this as Record<string, unknown>)[key];
    if (typeof raw === "string") return raw.length > 60 ? `<${raw.length} chars: ${JSON.stringify(raw.slice(0, 24))}…>` : raw;
    if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? "<Invalid Date>" : `<Date ${raw.getTime()}>`;
    if (typeof raw === "bigint") return `<${raw}n>`;
    if (typeof raw === "symbol") return "<symbol>";
    if (typeof raw === "function") return "<function>";
    if (raw === undefined) return "<undefined>";
    if (typeof raw === "number" && !Number.isFinite(raw)) return `<${raw}>`;
    if (raw instanceof Map) return "<Map>";
    if (raw && typeof raw === "object") {
      if (seen.has(raw)) return "<cycle>";
      seen.add(raw);
      if (Object.getPrototypeOf(raw) === null) return { "<null prototype>": true, ...raw };
    }
    return value;
  });
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
