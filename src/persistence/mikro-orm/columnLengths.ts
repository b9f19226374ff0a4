import type { EntityProperty } from "@mikro-orm/core";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";

/** A string column's declared length, in characters (code points, as PostgreSQL and MySQL count). */
export type ColumnLimits = ReadonlyArray<readonly [prop: string, length: number]>;

/** The string properties with a declared `length` (varchar): dates' `length` is their precision. */
export function columnLimits(columns: readonly EntityProperty[]): ColumnLimits {
  return columns.filter((p) => p.runtimeType === "string" && typeof p.length === "number" && p.length > 0).map((p) => [p.name, p.length!] as const);
}

/**
 * Refuses a value longer than its column before the statement, the same on every database: SQLite
 * stores any length, and PostgreSQL and MySQL cut a value whose excess is all spaces (SQL's rule)
 * where they refuse any other, so the row would hold another value than the caller's.
 */
export function checkLengths(limits: ColumnLimits, data: Record<string, unknown>): void {
  for (let i = 0; i < limits.length; i++) {
    const [prop, length] = limits[i]!;
    const value = data[prop];
    if (typeof value === "string" && value.length > length && codePoints(value) > length) {
      throw new AdapterError(ErrorCode.INVALID_INPUT, `"${prop}" is longer than its column (${length} characters)`);
    }
  }
}

function codePoints(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) i++; // a surrogate pair is one character
    count++;
  }
  return count;
}
