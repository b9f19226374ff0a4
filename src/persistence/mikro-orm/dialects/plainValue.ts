import { AdapterError, ErrorCode } from "../../../errors/AdapterError";

/**
 * A bound value in a form the driver writes without calling back into the caller's code. An
 * object (not a Date or bytes) becomes the JSON text the drivers would make of it, here, where a
 * `toJSON` that throws fails the call before a connection is touched: mysql2 and the MariaDB
 * connector were left waiting for the answer to a command they never finished sending (the next
 * call on that connection hung), and pg had named a statement it never prepared. Arrays: JSON
 * text too (`"json"`: what mysql2 sends), or kept with each element made plain (`"elements"`: pg
 * writes an array as an array literal). A function or a symbol has no stored form.
 */
export function plainValue(value: unknown, arrays: "json" | "elements"): unknown {
  const type = typeof value;
  if (type === "function" || type === "symbol") throw new AdapterError(ErrorCode.INVALID_INPUT, `a ${type} cannot be stored in the database`);
  if (type !== "object" || value === null || value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value) && arrays === "elements") return value.map((element) => plainValue(element, arrays));
  if (typeof (value as { toPostgres?: unknown }).toPostgres === "function") return value; // pg's own custom-type hook
  try {
    return JSON.stringify(value);
  } catch {
    throw new AdapterError(ErrorCode.INVALID_INPUT, "a value could not be turned into JSON for the database");
  }
}
