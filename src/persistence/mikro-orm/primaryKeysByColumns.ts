import type { MikroORM } from "@mikro-orm/core";

type IndexDef = { primary?: boolean; unique?: boolean; expression?: string };
type Helper = { getAllIndexes?: (...args: never[]) => Promise<Record<string, IndexDef[]>> };
const PATCHED = new WeakSet<object>();

/**
 * Makes schema diffs on this ORM compare primary keys by their columns. MikroORM 6 reads a
 * PostgreSQL index over a quoted column (`"providerAccountId"`) as an expression, and compares
 * expression indexes by name only, so a composite primary key named otherwise than `<table>_pkey`
 * (Drizzle's `account_provider_providerAccountId_pk`) looked changed: `synchronize` dropped a
 * `account_pkey` that does not exist, and failed. A primary key is never an expression. And a
 * table whose one unique index stands in for its key (Prisma's sessions) is read as keyed by it.
 */
export function primaryKeysByColumns(orm: MikroORM): void {
  const helper = orm.em.getPlatform().getSchemaHelper() as Helper | undefined;
  if (!helper || typeof helper.getAllIndexes !== "function" || PATCHED.has(helper)) return;
  PATCHED.add(helper);
  const read = helper.getAllIndexes.bind(helper);
  helper.getAllIndexes = async (...args: never[]) => {
    const indexes = await read(...args);
    for (const table of Object.values(indexes)) {
      // A table without a primary key and with one unique index (Prisma's `Session`, keyed by
      // `sessionToken @unique`): that index is the key the entities declare.
      const unique = table.filter((index) => index.unique);
      if (!table.some((index) => index.primary) && unique.length === 1) unique[0]!.primary = true;
      for (const index of table) if (index.primary) delete index.expression;
    }
    return indexes;
  };
}
