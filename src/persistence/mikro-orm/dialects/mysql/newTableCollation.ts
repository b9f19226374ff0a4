import type { MikroORM } from "@mikro-orm/core";
import { ENTITY_NAMES } from "../../entities/createEntities";
import type { Dialect } from "../Dialect";
import { EXACT_COLLATION_QUERY, exactCollationOf } from "./exactCollation";

const KEY_COLLATION_QUERY =
  "select character_set_name as s, collation_name as c from information_schema.columns where table_schema = coalesce(?, database()) and table_name = ? and column_name = ?";

/**
 * The collation of the tables `synchronize` creates on MySQL and MariaDB. A foreign key's column
 * must have the collation of the key it references (else the server refuses the table, errno
 * 1005): when the users table already exists with a utf8mb4 text key (another adapter's tables
 * without their optional authenticator table, or the kit's own from before its NO PAD migration),
 * new tables take that key's collation. Otherwise they get the server's NO PAD binary one.
 */
export async function newTableCollation(orm: MikroORM, dialect: Dialect): Promise<string> {
  const users = orm.getMetadata().find(ENTITY_NAMES.user);
  const key = users?.getPrimaryProps()[0]?.fieldNames[0];
  if (users && key) {
    const [row] = (await dialect.execute({ text: KEY_COLLATION_QUERY, values: [users.schema ?? null, users.tableName, key] })).rows;
    const collate = row?.c ?? row?.C;
    // The kit's tables are utf8mb4 (MikroORM also sets the connection's names to the charset it
    // creates tables in): a key in another character set keeps the kit's collation.
    if (typeof collate === "string" && (row!.s ?? row!.S) === "utf8mb4") return collate;
  }
  return exactCollationOf((await dialect.execute({ text: EXACT_COLLATION_QUERY, values: [] })).rows);
}
