import type { MikroORM } from "@mikro-orm/core";

type IndexDef = { primary?: boolean; unique?: boolean; columnNames: string[]; expression?: string };
type Helper = { getAllIndexes?: (...args: never[]) => Promise<Record<string, IndexDef[]>> };
const PATCHED = new WeakSet<object>();

/**
 * Makes schema diffs on this ORM compare primary keys by their columns. MikroORM 6 reads a
 * PostgreSQL index over a quoted column (`"providerAccountId"`) as an expression, and compares
 * expression indexes by name only, so a composite primary key named otherwise than `<table>_pkey`
 * (Drizzle's `account_provider_providerAccountId_pk`) looked changed: `synchronize` dropped a
 * `account_pkey` that does not exist, and failed. A primary key is never an expression. And a
 * table without a primary key whose unique index covers the columns the entity is keyed by
 * (Prisma's `Session`, `sessionToken @unique`) is read as keyed by that index.
 */
export function primaryKeysByColumns(orm: MikroORM): void {
  const helper = orm.em.getPlatform().getSchemaHelper() as Helper | undefined;
  if (!helper || typeof helper.getAllIndexes !== "function" || PATCHED.has(helper)) return;
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
