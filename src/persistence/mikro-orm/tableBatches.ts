import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import { PENDING_CURSOR } from "../ports";
import { Binder } from "./dialects/Dialect";
import { keysetCursor } from "./keysetCursor";
import type { EntityTable } from "./EntityTable";

/** What one batch of a rewrite job did (see `rewriteBatch`). */
export interface RewriteBatchResult {
  next: string | number | null;
  scanned: number;
  rewritten: number;
  missed: Array<string | number>;
}

/**
 * Deletes at most `limit` rows of `t` whose `prop` is at or before `before`; returns how many. One
 * short statement keyed by the primary key (composite keys included); where the dialect can, rows
 * another transaction holds are skipped (`SKIP LOCKED`), so a purge never waits on a row in use.
 */
export async function deleteBatchBefore(t: EntityTable, prop: string, before: Date, limit: number): Promise<number> {
  const { dialect } = t;
  const keys = t.primaryKeys.map((p) => t.column(p));
  if (dialect.deleteBatch) {
    return dialect.deleteBatch({ table: t.table, keys, column: t.column(prop), tables: [t.meta.tableName] }, dialect.bindValue(t.param(prop, before)), limit);
  }
  const b = new Binder(dialect);
  const text = dialect.purgeBatch({ table: t.table, keys, column: t.column(prop), before: b.bind(t.param(prop, before)), limit: b.bind(limit) });
  return (await dialect.execute(t.statement(text, b.values))).affected;
}

/**
 * One batch of a rewrite job on `t`, in one transaction: reads at most `limit` rows after `after`
 * (keyset on the primary key, ascending; locked, skipping rows others hold where the dialect can),
 * asks `rewrite` for each row's new values, and updates by key only where the changed columns still
 * hold what was read. Values stay bound throughout.
 *
 * The cursor is the key's value; for a composite key (an account keyed by provider and account id)
 * the JSON array of its values, which a row without an `id` is also handed as its `id`. A table
 * keyed by the one value being rewritten (sessions keyed by their token) cannot be paged by key:
 * the cursor would be a token. With `donePrefix`, its batch reads the rows whose key does not start
 * with it yet, and reports `PENDING_CURSOR`; without, it is refused.
 */
export async function rewriteBatch<T>(
  t: EntityTable,
  props: readonly string[],
  after: unknown,
  limit: number,
  rewrite: (row: T) => Promise<Record<string, unknown> | null> | Record<string, unknown> | null,
  donePrefix?: string,
): Promise<RewriteBatchResult> {
  const { dialect } = t;
  const keys = t.primaryKeys;
  const pending = !t.surrogateKey && keys.length === 1;
  if (pending && donePrefix === undefined) {
    throw new AdapterError(ErrorCode.CONFIGURATION, `table ${t.meta.tableName} is keyed by ${keys[0]}, a value this job would have to use as its cursor; rows written from now on are written in their new form`);
  }
  const cursor = keysetCursor(t);
  const b = new Binder(dialect);
  // Built before the transaction opens: a dialect may ask its server (on another connection) what it supports.
  const text = await dialect.lockBatch({
    table: t.table,
    keys: keys.map((key) => t.column(key)),
    columns: props.map((prop) => t.column(prop)),
    after: after === undefined || pending ? undefined : cursor.values(after).map((value, i) => b.bind(t.param(keys[i]!, value))),
    notLike: pending ? b.bind(`${donePrefix}%`) : undefined,
    limit,
  });
  return dialect.transaction(async (tx) => {
    const { rows } = await tx.execute(t.statement(text, b.values));
    let rewritten = 0;
    const missed: Array<string | number> = [];
    let next: string | number | null = null;
    for (const raw of rows) {
      const row = t.toRecord<Record<string, unknown>>(raw);
      next = cursor.of(row);
      if (!t.surrogateKey && !pending) row.id = next;
      const changes = await rewrite(row as T);
      const changed = Object.keys(changes ?? {}).filter((prop) => props.includes(prop) && changes![prop] !== row[prop]);
      if (changed.length === 0) continue;
      const u = new Binder(dialect);
      const set = changed.map((prop) => `${t.column(prop)} = ${u.bind(t.param(prop, changes![prop]))}`).join(", ");
      // Bound in text order: `?` placeholders are positional.
      const byKey = keys.map((key) => `${t.column(key)} = ${u.bind(t.param(key, row[key]))}`);
      const guard = changed.map((prop) => (row[prop] == null ? `${t.column(prop)} is null` : `${t.column(prop)} = ${u.bind(t.param(prop, row[prop]))}`));
      const where = [...byKey, ...guard].join(" and ");
      const { affected } = await tx.execute(t.statement(`update ${t.table} set ${set} where ${where}`, u.values));
      if (affected > 0) rewritten++;
      else missed.push(next);
    }
    // Neither cursor nor missed keys of a pending batch are keys: they would be tokens.
    if (pending) return { next: rows.length > 0 ? PENDING_CURSOR : null, scanned: rows.length, rewritten, missed: missed.map(() => PENDING_CURSOR) };
    return { next, scanned: rows.length, rewritten, missed };
  });
}
