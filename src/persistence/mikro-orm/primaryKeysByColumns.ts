import type { MikroORM } from "@mikro-orm/core";

type IndexDef = { primary?: boolean; unique?: boolean; columnNames: string[]; expression?: string };
type Connection = { execute(sql: string, params: unknown[], method: "all", ctx?: unknown): Promise<Array<{ name: string; pk: number }>> };
type Helper = {
  getAllIndexes?: (...args: never[]) => Promise<Record<string, IndexDef[]>>;
  getIndexes?: (connection: Connection, table: string, schema?: string, ctx?: unknown) => Promise<IndexDef[]>;
  getPrimaryKeys?: (connection: Connection, indexes: IndexDef[], table: string, schema?: string, ctx?: unknown) => Promise<string[]>;
};
const PATCHED = new WeakSet<object>();

/**
 * Makes schema diffs on this ORM compare primary keys by their columns. MikroORM 6 reads a
 * PostgreSQL index over a quoted column (`"providerAccountId"`) as an expression, and compares
 * expression indexes by name only, so a composite primary key named otherwise than `<table>_pkey`
 * (Drizzle's `account_provider_providerAccountId_pk`) looked changed: `synchronize` dropped a
 * `account_pkey` that does not exist, and failed. A primary key is never an expression. And a
 * table without a primary key whose unique index covers the columns the entity is keyed by
 * (Prisma's `Session`, `sessionToken @unique`) is read as keyed by that index. On SQLite, whose
 * helper reads table by table, the key's column order is read instead (`primaryKeyOrderOnSqlite`).
 */
export function primaryKeysByColumns(orm: MikroORM): void {
  const helper = orm.em.getPlatform().getSchemaHelper() as Helper | undefined;
  if (!helper || PATCHED.has(helper)) return;
  if (typeof helper.getAllIndexes !== "function") return primaryKeyOrderOnSqlite(helper);
  PATCHED.add(helper);
  const keyColumns = new Map<string, string>();
  for (const meta of Object.values(orm.getMetadata().getAll())) {
    if (meta.tableName && !meta.embeddable) keyColumns.set(meta.tableName, meta.getPrimaryProps().flatMap((p) => p.fieldNames).join(","));
  }
  const read = helper.getAllIndexes.bind(helper);
  helper.getAllIndexes = async (...args: never[]) => {
    const indexes = await read(...args);
    for (const [name, table] of Object.entries(indexes)) {
      const wanted = keyColumns.get(name.slice(name.lastIndexOf(".") + 1));
      if (wanted !== undefined && !table.some((index) => index.primary)) {
        const standIn = table.find((index) => index.unique && index.columnNames.join(",") === wanted);
        if (standIn) standIn.primary = true;
      }
      for (const index of table) if (index.primary) delete index.expression;
    }
    return indexes;
  };
}

/**
 * SQLite's reader lists a composite primary key's columns in the table's column order, not the
 * key's (`pragma table_info`'s `pk` is the position in the key): Drizzle's `authenticator`, keyed
 * by `(userId, credentialID)` with `credentialID` declared first, looked re-keyed. Reads the order.
 */
function primaryKeyOrderOnSqlite(helper: Helper): void {
  const { getIndexes, getPrimaryKeys } = helper;
  if (typeof getIndexes !== "function" || typeof getPrimaryKeys !== "function") return;
  PATCHED.add(helper);
  const keyOrder = async (connection: Connection, table: string, ctx: unknown) => {
    const columns = await connection.execute(`pragma table_info(\`${table.replace(/`/g, "``")}\`)`, [], "all", ctx);
    return columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  };
  helper.getIndexes = async (connection, table, schema, ctx) => {
    const indexes = await getIndexes.call(helper, connection, table, schema, ctx);
    const primary = indexes.find((index) => index.primary);
    if (primary && primary.columnNames.length > 1) primary.columnNames = await keyOrder(connection, table, ctx);
    return indexes;
  };
  helper.getPrimaryKeys = async (connection, indexes, table, schema, ctx) => {
    const keys = await getPrimaryKeys.call(helper, connection, indexes, table, schema, ctx);
    return keys.length > 1 ? keyOrder(connection, table, ctx) : keys;
  };
}
