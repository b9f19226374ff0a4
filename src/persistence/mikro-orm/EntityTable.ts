import type { EntityMetadata, MikroORM, Platform, Type } from "@mikro-orm/core";
import type { AbstractSqlDriver, EntityManager } from "@mikro-orm/knex";

/**
 * One entity's table as the stores need it: quoted names from the metadata (so renamed tables,
 * schemas and extra columns just work) and a mapper from raw rows to plain records.
 */
export class EntityTable {
  readonly meta: EntityMetadata;
  /** Fully qualified, quoted table name. */
  readonly table: string;
  /** Scalar and to-one property names (the columns a record has). */
  readonly props: readonly string[];
  private readonly fields: ReadonlyMap<string, string>;
  /** Properties with a custom type (bigint as number, JSON): converted both ways by hand on raw SQL. */
  private readonly customTypes: ReadonlyArray<[string, Type<unknown, unknown>]>;
  private readonly driver: AbstractSqlDriver;
  private readonly platform: Platform;

  constructor(orm: MikroORM, entityName: string) {
    this.meta = orm.getMetadata().find(entityName)!;
    this.driver = orm.em.getDriver() as AbstractSqlDriver;
    this.platform = this.driver.getPlatform();
    const q = (name: string) => this.platform.quoteIdentifier(name);
    this.table = this.meta.schema && this.meta.schema !== "*" ? `${q(this.meta.schema)}.${q(this.meta.tableName)}` : q(this.meta.tableName);
    const props = this.meta.props.filter((p) => p.persist !== false && (p.kind === "scalar" || p.kind === "m:1") && p.fieldNames?.length === 1);
    this.props = props.map((p) => p.name);
    this.fields = new Map(props.map((p) => [p.name, p.fieldNames[0]!]));
    this.customTypes = props.filter((p) => p.customType).map((p) => [p.name, p.customType as Type<unknown, unknown>]);
  }

  /** Quoted column of a property. */
  column(prop: string): string {
    return this.platform.quoteIdentifier(this.fields.get(prop)!);
  }

  /** `alias."col" as "prefix""col"`, for every column: used to select two tables in one query. */
  selectList(alias: string, prefix: string): string {
    const q = (name: string) => this.platform.quoteIdentifier(name);
    return this.props.map((p) => `${alias}.${q(this.fields.get(p)!)} as ${q(prefix + this.fields.get(p)!)}`).join(", ");
  }

  /** Maps a raw row (column names as keys) to a record with property names and JS types. */
  toRecord<T>(row: Record<string, unknown>): T {
    const record = this.driver.mapResult(row, this.meta) as Record<string, unknown>;
    for (const [prop, type] of this.customTypes) {
      if (record[prop] != null) record[prop] = type.convertToJSValue(record[prop], this.platform);
    }
    return record as T;
  }

  /** Maps the `prefix`ed half of a joined row. */
  toRecordFromPrefixed<T>(row: Record<string, unknown>, prefix: string): T {
    const own: Record<string, unknown> = {};
    for (const field of this.fields.values()) own[field] = row[prefix + field];
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

  /** A property's value as a raw-SQL parameter (SQLite stores dates as numbers; custom types convert). */
  param(prop: string, value: unknown): unknown {
    if (value == null) return value;
    if (value instanceof Date) return this.platform.processDateProperty(value);
    const custom = this.customTypes.find(([name]) => name === prop);
    return custom ? custom[1].convertToDatabaseValue(value, this.platform) : value;
  }

  /** Every column present as a key, null where the data had none: what a freshly inserted row reads back as. */
  complete<T>(data: Record<string, unknown>): T {
    const out: Record<string, unknown> = {};
    for (const prop of this.props) out[prop] = data[prop] ?? null;
    return out as T;
  }

  /** Inserts one row (no unit of work involved). */
  async insert(em: EntityManager, data: Record<string, unknown>): Promise<void> {
    await em.insert(this.meta.className, data);
  }

  /** The first row matching `where` (property names), as a record; null when none. */
  async findOne<T>(em: EntityManager, where: Record<string, unknown>): Promise<T | null> {
    const row = await em.createQueryBuilder(this.meta.className).select("*").where(where).limit(1).execute("get", false);
    return row ? this.toRecord<T>(row as Record<string, unknown>) : null;
  }

  /** Every row matching `where`, as records. */
  async findAll<T>(em: EntityManager, where: Record<string, unknown>): Promise<T[]> {
    const rows = await em.createQueryBuilder(this.meta.className).select("*").where(where).execute("all", false);
    return (rows as Record<string, unknown>[]).map((row) => this.toRecord<T>(row));
  }

  /** `DELETE ... RETURNING *` in one atomic statement: of concurrent callers, one gets each row. */
  async deleteReturning<T>(em: EntityManager, where: Record<string, unknown>): Promise<T[]> {
    const [clause, params] = this.whereClause(where);
    const rows = await em.getConnection().execute(`delete from ${this.table} where ${clause} returning *`, params, "all");
    return rows.map((row: Record<string, unknown>) => this.toRecord<T>(row));
  }

  /** `UPDATE ... RETURNING *`: the updated rows, or none when nothing matched. */
  async updateReturning<T>(em: EntityManager, set: Record<string, unknown>, where: Record<string, unknown>): Promise<T[]> {
    const assignments = Object.keys(set).map((prop) => `${this.column(prop)} = ?`).join(", ");
    const [clause, params] = this.whereClause(where);
    const values = Object.entries(set).map(([prop, v]) => this.param(prop, v));
    const rows = await em.getConnection().execute(`update ${this.table} set ${assignments} where ${clause} returning *`, [...values, ...params], "all");
    return rows.map((row: Record<string, unknown>) => this.toRecord<T>(row));
  }

  /** Deletes rows matching `where`; returns how many. */
  async deleteWhere(em: EntityManager, where: Record<string, unknown>): Promise<number> {
    return em.nativeDelete(this.meta.className, where);
  }

  private whereClause(where: Record<string, unknown>): [string, unknown[]] {
    const keys = Object.keys(where);
    return [keys.map((prop) => `${this.column(prop)} = ?`).join(" and "), keys.map((k) => this.param(k, where[k]))];
  }
}
