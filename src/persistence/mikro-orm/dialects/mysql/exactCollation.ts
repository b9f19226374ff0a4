import { AdapterError, ErrorCode } from "../../../../errors/AdapterError";

/**
 * The collation the kit's MySQL and MariaDB tables use: utf8mb4, binary, and NO PAD.
 *
 * `utf8mb4_bin` is binary but PAD SPACE: trailing spaces are ignored when comparing, so
 * `'tok' = 'tok '` holds, a lookup of `"ada@example.com "` finds `ada@example.com`, and the two
 * cannot both exist under a unique key. PostgreSQL and SQLite compare them as different strings.
 * The NO PAD binary collation has another name on each server: MySQL 8 `utf8mb4_0900_bin`,
 * MariaDB 10.2+ `utf8mb4_nopad_bin`; the server's own list says which it has. MariaDB's name comes
 * first: MariaDB 11.4.5 and later also list `utf8mb4_0900_bin`, as an alias of the padding
 * `utf8mb4_bin`, and MySQL has no `utf8mb4_nopad_bin`.
 */
export const EXACT_COLLATIONS = ["utf8mb4_nopad_bin", "utf8mb4_0900_bin"] as const;

/** The padding binary collation the first migration created its tables with. */
export const PADDING_COLLATION = "utf8mb4_bin";

export const EXACT_COLLATION_QUERY =
  "select collation_name as c from information_schema.collations where collation_name in ('utf8mb4_0900_bin', 'utf8mb4_nopad_bin')";

/** Picks the server's NO PAD binary utf8mb4 collation from the rows of `EXACT_COLLATION_QUERY`. */
export function exactCollationOf(rows: ReadonlyArray<Record<string, unknown>>): string {
  const names = new Set(rows.map((row) => String(row.c ?? row.C ?? "")));
  const found = EXACT_COLLATIONS.find((name) => names.has(name));
  if (!found) {
    throw new AdapterError(
      ErrorCode.CONFIGURATION,
      "this MySQL server has no NO PAD binary utf8mb4 collation (utf8mb4_0900_bin or utf8mb4_nopad_bin): the kit needs MySQL 8 or MariaDB 10.2 or later, so that keys with trailing spaces compare as different values",
    );
  }
  return found;
}
