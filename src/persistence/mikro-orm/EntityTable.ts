import { randomUUID } from "node:crypto";
import type { EntityMetadata, EntityProperty, MikroORM, Platform, Type } from "@mikro-orm/core";
import { BaseSqlitePlatform, type AbstractSqlDriver, type EntityManager } from "@mikro-orm/knex";

type Hook = (data: Record<string, unknown>, em: EntityManager) => unknown;

/**
 * One entity's table as the stores need it: quoted names from the metadata (so renamed tables,
 * schemas and extra columns just work) and a mapper from raw rows to plain records.
 *
 * Layout differences live in the entity definitions, not in the stores: `hidden` columns are
 * written but never part of a record (bookkeeping such as `created_at`), `onCreate`/`onUpdate`
 * fill columns on insert/update, and an `autoincrement` key is left to the database.
 */
export class EntityTable {
  readonly meta: EntityMetadata;
  /** Fully qualified, quoted table name. */
  readonly table: string;
  /** Scalar and to-one property names a record has (hidden ones excluded). */
  readonly props: readonly string[];
  /** True when the database generates the primary key (serial ids): stores must not invent one. */
  readonly generatedKey: boolean;
  /** Every single-column property (hidden ones included) and its column name. */
  private readonly fields: ReadonlyMap<string, string>;
  /** Columns of the visible properties (what a record is made of). */
  private readonly visibleFields: readonly string[];
  private readonly hidden: readonly string[];
  /** Properties with a custom type (bigint as number, JSON): converted both ways by hand on raw SQL. */
  private readonly customTypes: ReadonlyMap<string, Type<unknown, unknown>>;
  private readonly onCreate: ReadonlyArray<[string, Hook]>;
  private readonly onUpdate: ReadonlyArray<[string, Hook]>;
  private readonly primaryKeys: readonly string[];
  private readonly driver: AbstractSqlDriver;
  private readonly platform: Platform;
  private readonly sqlite: boolean;

  constructor(orm: MikroORM, entityName: string) {
    this.meta = orm.getMetadata().find(entityName)!;
    this.driver = orm.em.getDriver() as AbstractSqlDriver;
    this.platform = this.driver.getPlatform();
    this.sqlite = this.platform instanceof BaseSqlitePlatform;
    const q = (name: string) => this.platform.quoteIdentifier(name);
    this.table = this.meta.schema && this.meta.schema !== "*" ? `${q(this.meta.schema)}.${q(this.meta.tableName)}` : q(this.meta.tableName);
    const columns = this.meta.props.filter((p) => p.persist !== false && (p.kind === "scalar" || p.kind === "m:1") && p.fieldNames?.length === 1);
    const visible = columns.filter((p) => !p.hidden);
    this.props = visible.map((p) => p.name);
    this.hidden = columns.filter((p) => p.hidden).map((p) => p.name);
    this.fields = new Map(columns.map((p) => [p.name, p.fieldNames[0]!]));
    this.visibleFields = visible.map((p) => p.fieldNames[0]!);
    this.customTypes = new Map(columns.filter((p) => p.customType).map((p) => [p.name, p.customType as Type<unknown, unknown>]));
    this.onCreate = hooks(columns, "onCreate");
    this.onUpdate = hooks(columns, "onUpdate");
    this.primaryKeys = this.meta.primaryKeys;
    const pk = this.meta.getPrimaryProps();
    this.generatedKey = pk.length === 1 && pk[0]!.autoincrement === true;
  }

  /** Quoted column of a property. */
  column(prop: string): string {
    return this.platform.quoteIdentifier(this.fields.get(prop)!);
  }

  /** `alias."col" as "prefix""col"`, for every column of a record: used to select two tables in one query. */
  selectList(alias: string, prefix: string): string {
    const q = (name: string) => this.platform.quoteIdentifier(name);
    return this.visibleFields.map((field) => `${alias}.${q(field)} as ${q(prefix + field)}`).join(", ");
  }

  /** Maps a raw row (column names as keys) to a record with property names and JS types. */
  toRecord<T>(row: Record<string, unknown>): T {
    const record = this.driver.mapResult(row, this.meta) as Record<string, unknown>;
    for (const [prop, type] of this.customTypes) {
      if (record[prop] != null) record[prop] = type.convertToJSValue(record[prop], this.platform);
    }
    for (const prop of this.hidden) delete record[prop];
    return record as T;
  }

  /** Maps the `prefix`ed half of a joined row. */
  toRecordFromPrefixed<T>(row: Record<string, unknown>, prefix: string): T {
    const own: Record<string, unknown> = {};
    for (const field of this.visibleFields) own[field] = row[prefix + field];
    return this.toRecord<T>(own);
  }

  /** Only the keys that are columns of this table: unknown keys (and `__proto__`) never reach SQL. */
  pick(data: object): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const prop of this.props) {
      if (Object.prototype.hasOwnProperty.call(data, prop)) {
        const value = (data as Record<string, unknown>)[prop];
        if (value !== undefined) out[prop] = value;
      }
    }
    return out;
  }

  /**
   * Gives `data` the surrogate key a store must supply: a random UUID (or the caller's own when
   * `keepGiven`), or none at all when the database generates keys, so a serial column fills it.
   */
  withKey(data: Record<string, unknown>, keepGiven = false): Record<string, unknown> {
    const key = this.primaryKeys[0]!;
    if (this.generatedKey) delete data[key];
    else if (!keepGiven || data[key] == null) data[key] = randomUUID();
    return data;
  }

  /** A property's value as a raw-SQL parameter (SQLite stores dates as numbers; custom types convert). */
  param(prop: string, value: unknown): unknown {
    if (value == null) return value;
    const custom = this.customTypes.get(prop);
    if (custom) value = custom.convertToDatabaseValue(value, this.platform);
    return value instanceof Date ? this.platform.processDateProperty(value) : value;
  }

  /** Every record column present as a key, null where the data had none: what a freshly inserted row reads back as. */
  complete<T>(data: Record<string, unknown>): T {
    const out: Record<string, unknown> = {};
    for (const prop of this.props) out[prop] = data[prop] ?? null;
    return out as T;
  }

  /**
   * Inserts one row (no unit of work involved), filling `onCreate` columns the data lacks.
   * Returns the data as inserted, with the key the database generated when it generates keys.
   */
  async insert(em: EntityManager, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    for (const [prop, hook] of this.onCreate) if (data[prop] === undefined) data[prop] = hook(data, em);
    const id = await em.insert(this.meta.className, data);
    if (!this.generatedKey || id == null) return data;
    const key = this.primaryKeys[0]!;
    const custom = this.customTypes.get(key);
    return { ...data, [key]: custom ? custom.convertToJSValue(id, this.platform) : id };
  }

  /** The first row matching `where` (property names), as a record; null when none. */
  async findOne<T>(em: EntityManager, where: Record<string, unknown>): Promise<T | null> {
    const [clause, params] = this.whereClause(where);
    const row = await em.getConnection().execute(`select * from ${this.table} where ${clause} limit 1`, params, "get");
    return row ? this.toRecord<T>(row as unknown as Record<string, unknown>) : null;
  }

  /** Every row matching `where`, as records. */
  async findAll<T>(em: EntityManager, where: Record<string, unknown>): Promise<T[]> {
    const [clause, params] = this.whereClause(where);
    const rows = await em.getConnection().execute(`select * from ${this.table} where ${clause}`, params, "all");
    return (rows as Record<string, unknown>[]).map((row) => this.toRecord<T>(row));
  }

  /** `DELETE ... RETURNING *` in one atomic statement: of concurrent callers, one gets each row. */
  async deleteReturning<T>(em: EntityManager, where: Record<string, unknown>): Promise<T[]> {
    const [clause, params] = this.whereClause(where);
    const rows = await em.getConnection().execute(`delete from ${this.table} where ${clause} returning *`, params, "all");
    return rows.map((row: Record<string, unknown>) => this.toRecord<T>(row));
  }

  /** `UPDATE ... RETURNING *`: the updated rows, or none when nothing matched. `onUpdate` columns are refreshed. */
  async updateReturning<T>(em: EntityManager, set: Record<string, unknown>, where: Record<string, unknown>): Promise<T[]> {
    const changes = { ...set };
    for (const [prop, hook] of this.onUpdate) if (changes[prop] === undefined) changes[prop] = hook(changes, em);
    const assignments = Object.keys(changes).map((prop) => `${this.column(prop)} = ?`).join(", ");
    const [clause, params] = this.whereClause(where);
    const values = Object.entries(changes).map(([prop, v]) => this.param(prop, v));
    const rows = await em.getConnection().execute(`update ${this.table} set ${assignments} where ${clause} returning *`, [...values, ...params], "all");
    return rows.map((row: Record<string, unknown>) => this.toRecord<T>(row));
  }

  /** Deletes rows matching `where`; returns how many. */
  async deleteWhere(em: EntityManager, where: Record<string, unknown>): Promise<number> {
    const [clause, params] = this.whereClause(where);
    const result = await em.getConnection().execute(`delete from ${this.table} where ${clause}`, params, "run");
    return (result as { affectedRows?: number }).affectedRows ?? 0;
  }

  /**
   * Deletes at most `limit` rows whose `prop` is at or before `before`; returns how many. One short
   * statement keyed by the primary key (composite keys included); on PostgreSQL rows another
   * transaction holds are skipped (`SKIP LOCKED`), so a purge never waits on a row in use.
   */
  async deleteBatchBefore(em: EntityManager, prop: string, before: Date, limit: number): Promise<number> {
    const keys = this.primaryKeys.map((p) => this.column(p)).join(", ");
    const lock = this.sqlite ? "" : " for update skip locked";
    const sql =
      `delete from ${this.table} where (${keys}) in ` +
      `(select ${keys} from ${this.table} where ${this.column(prop)} <= ? limit ?${lock})`;
    const result = await em.getConnection().execute(sql, [this.param(prop, before), limit], "run");
    return (result as { affectedRows?: number }).affectedRows ?? 0;
  }

  /** `col = ?` per key; a value that cannot be a key of its column (converted to null) matches nothing. */
  private whereClause(where: Record<string, unknown>): [string, unknown[]] {
    const keys = Object.keys(where);
    return [keys.map((prop) => `${this.column(prop)} = ?`).join(" and "), keys.map((k) => this.param(k, where[k]))];
  }
}

/** The `onCreate`/`onUpdate` functions declared on the properties, by property name. */
function hooks(props: EntityProperty[], kind: "onCreate" | "onUpdate"): Array<[string, Hook]> {
  return props.filter((p) => typeof p[kind] === "function").map((p) => [p.name, p[kind] as unknown as Hook]);
}
