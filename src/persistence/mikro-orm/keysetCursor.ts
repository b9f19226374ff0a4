import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import type { EntityTable } from "./EntityTable";

/**
 * A rewrite job's cursor for `t`: the key's value for a one-column key (as before: a number or a
 * string), the JSON array of the values for a composite one, so it stays one opaque string a caller
 * can store and hand back as `after`.
 */
export function keysetCursor(t: EntityTable): { of(row: Record<string, unknown>): string | number; values(after: unknown): unknown[] } {
  const keys = t.primaryKeys;
  if (keys.length === 1) return { of: (row) => row[keys[0]!] as string | number, values: (after) => [after] };
  return {
    of: (row) => JSON.stringify(keys.map((key) => row[key])),
    values(after) {
      let values: unknown;
      try {
        values = typeof after === "string" ? JSON.parse(after) : undefined;
      } catch {
        values = undefined;
      }
      if (!Array.isArray(values) || values.length !== keys.length || values.some((v) => typeof v !== "string" && typeof v !== "number")) {
        throw new AdapterError(ErrorCode.INVALID_INPUT, "after must be the `next` of an earlier run");
      }
      return values;
    },
  };
}
