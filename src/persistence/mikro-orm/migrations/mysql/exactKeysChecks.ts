import { AdapterError, ErrorCode } from "../../../../errors/AdapterError";

/** Runs one query on the migration's connection. */
export type Sql = (text: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** The kit's tables with a foreign key to `users`, named `<table>_user_id_foreign`. */
export const USER_KEYS = ["sessions", "accounts", "authenticators"];

const TEXT_LIMIT = 65535; // bytes in a `text` column
const INT_LIMIT = 2147483647;

function field(row: Record<string, unknown>, name: string): string {
  return String(row[name] ?? row[name.toUpperCase()] ?? "");
}

/**
 * A key of the app's own that points at a kit table stops the collation change halfway on MariaDB
 * ("Cannot change column") and MySQL (incompatible columns). Say so before anything changes.
 */
export async function refuseForeignKeysFromOtherTables(sql: Sql, kitTables: readonly string[]): Promise<void> {
  const marks = kitTables.map(() => "?").join(", ");
  const rows = await sql(
    `select table_name as t, constraint_name as n, referenced_table_name as r from information_schema.referential_constraints where constraint_schema = database() and referenced_table_name in (${marks}) and table_name not in (${marks}) order by t, n`,
    [...kitTables, ...kitTables],
  );
  if (rows.length === 0) return;
  const keys = rows.map((row) => `\`${field(row, "t")}\`.\`${field(row, "n")}\` (to \`${field(row, "r")}\`)`).join(", ");
  throw new AdapterError(
    ErrorCode.CONFIGURATION,
    `kit.migrate(): foreign keys of other tables point at the kit's tables: ${keys}. MySQL and MariaDB cannot change the collation of a column a foreign key uses, and this migration changes the kit's keys to the server's NO PAD binary collation. Nothing was changed: drop those keys, run the migration, convert their columns to the same collation, and add the keys again`,
  );
}

/**
 * Before going back to `utf8mb4_bin`, `text` and `int`: rows that would not fit stop a table's
 * rebuild halfway. Values are never read back or named, only the table and column.
 */
export async function refuseRowsThatDoNotFit(sql: Sql, tables: Record<string, readonly string[]>): Promise<void> {
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(tables)) {
    for (const column of columns) {
      const name = column.slice(0, column.indexOf("`", 1) + 1);
      const limit = column.includes("COUNTER") ? `${name} > ${INT_LIMIT}` : `octet_length(${name}) > ${TEXT_LIMIT}`;
      if ((await sql(`select 1 as x from \`${table}\` where ${limit} limit 1`)).length > 0) problems.push(`\`${table}\`.${name} holds values too large for the old column`);
    }
  }
  const unique = await sql(
    `select table_name as t, index_name as i, group_concat(column_name order by seq_in_index separator ',') as c from information_schema.statistics where table_schema = database() and non_unique = 0 and table_name in (${Object.keys(tables)
      .map(() => "?")
      .join(", ")}) group by table_name, index_name order by t, i`,
    Object.keys(tables),
  );
  for (const row of unique) {
    const columns = field(row, "c").split(",").map((c) => `\`${c}\``);
    const trimmed = columns.map((c) => `trim(trailing ' ' from ${c})`).join(", ");
    const present = columns.map((c) => `${c} is not null`).join(" and ");
    const found = await sql(`select 1 as x from \`${field(row, "t")}\` where ${present} group by ${trimmed} having count(*) > 1 limit 1`);
    if (found.length > 0) problems.push(`\`${field(row, "t")}\` has rows whose ${columns.join(", ")} differ only in trailing spaces, one key under utf8mb4_bin`);
  }
  if (problems.length === 0) return;
  throw new AdapterError(ErrorCode.CONFIGURATION, `kit.migrate({ down: true }): ${problems.join("; ")}. Nothing was changed: remove or shorten those rows first`);
}
