import { randomUUID } from "node:crypto";
import { Type, type EntityMetadata, type EntityProperty, type MikroORM, type Platform } from "@mikro-orm/core";
import type { AbstractSqlDriver, EntityManager } from "@mikro-orm/knex";
import { Binder, type Dialect, type Statement } from "./dialects/Dialect";
import { deleteBatchBefore, rewriteBatch, type RewriteBatchResult } from "./tableBatches";
import { TableStatements } from "./TableStatements";
import { checkLengths, columnLimits, type ColumnLimits } from "./columnLengths";

type Hook = (data: Record<string, unknown>, em: EntityManager) => unknown;

/** The default omit list: one array, so per-call caches keyed by it hit. */
const NONE: readonly string[] = [];

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
  /** The key is a surrogate `id` the kit supplies (or the database generates), not part of the record. */
  readonly surrogateKey: boolean;
  /** Every single-column property (hidden ones included) and its column name. */
  private readonly fields: ReadonlyMap<string, string>;
  /** Columns of the visible properties (what a record is made of). */
  private readonly visibleFields: readonly string[];
  private readonly hidden: readonly string[];
  /** Properties with a custom type (bigint as number, JSON): converted both ways by hand on raw SQL. */
  private readonly customTypes: ReadonlyMap<string, Type<unknown, unknown>>;
  private readonly customTypeList: ReadonlyArray<readonly [string, Type<unknown, unknown>]>;
  private readonly limits: ColumnLimits;
  private readonly mapRow: (row: Record<string, unknown>) => Record<string, unknown>;
  private readonly onCreate: ReadonlyArray<[string, Hook]>;
  private readonly onUpdate: ReadonlyArray<[string, Hook]>;
  readonly primaryKeys: readonly string[];
  /** The tables a statement on this table names (one array for all of them). */
  readonly tables: readonly string[];
  readonly className: string;
  /** Statement texts built once per column set. */
  private readonly statements: TableStatements;
  private readonly driver: AbstractSqlDriver;
  private readonly platform: Platform;

  constructor(orm: MikroORM, entityName: string, readonly dialect: Dialect) {
    this.meta = orm.getMetadata().find(entityName)!;
    this.driver = orm.em.getDriver() as AbstractSqlDriver;
    this.platform = this.driver.getPlatform();
    const q = (name: string) => dialect.quote(name);
    // The entity's schema, else the connection's as MikroORM resolves it; its default (`public`) stays unqualified for an app's search_path.
    const own = orm.config.get("schema") !== this.platform.getDefaultSchemaName() ? orm.config.get("schema") : undefined;
    const schema = this.meta.schema && this.meta.schema !== "*" ? this.meta.schema : own;
    this.table = schema ? `${q(schema)}.${q(this.meta.tableName)}` : q(this.meta.tableName);
    const columns = this.meta.props.filter((p) => p.persist !== false && (p.kind === "scalar" || p.kind === "m:1") && p.fieldNames?.length === 1);
    const visible = columns.filter((p) => !p.hidden);
    this.props = visible.map((p) => p.name);
    this.hidden = columns.filter((p) => p.hidden).map((p) => p.name);
    this.fields = new Map(columns.map((p) => [p.name, p.fieldNames[0]!]));
    this.visibleFields = visible.map((p) => p.fieldNames[0]!);
    this.tables = [this.meta.tableName];
    dialect.expectColumns?.(this.meta.tableName, [...this.fields.values()]);
    this.className = this.meta.className;
    this.customTypes = new Map(columns.filter((p) => p.customType && converts(p.customType)).map((p) => [p.name, p.customType as Type<unknown, unknown>]));
    this.customTypeList = [...this.customTypes];
    this.limits = columnLimits(columns);
    // What `driver.mapResult(row, meta)` runs for a plain row (no query builder), called directly:
    // MikroORM's compiled mapper of this entity, without a rest array and a spread per row.
    this.mapRow = orm.em.getComparator().getResultMapper(this.meta.className) as unknown as (row: Record<string, unknown>) => Record<string, unknown>;
    this.onCreate = hooks(columns, "onCreate");
    this.onUpdate = hooks(columns, "onUpdate");
    this.primaryKeys = this.meta.primaryKeys;
    const pk = this.meta.getPrimaryProps();
    this.generatedKey = pk.length === 1 && pk[0]!.autoincrement === true;
    this.surrogateKey = pk.length === 1 && pk[0]!.name === "id";
    const returningKey = this.generatedKey && dialect.returning ? this.primaryKeys[0] : undefined;
    this.statements = new TableStatements(this, columns.map((p) => p.name), returningKey);
  }

  /** Quoted column of a property. */
  column(prop: string): string {
    return this.dialect.quote(this.fields.get(prop)!);
  }

  /** `alias."col" as "prefix""col"`, for every column of a record: used to select two tables in one query. */
  selectList(alias: string, prefix: string, omit: readonly string[] = []): string {
    const q = (name: string) => this.dialect.quote(name);
    return this.fieldsWithout(omit).map((field) => `${alias}.${q(field)} as ${q(prefix + field)}`).join(", ");
  }

  /** The visible columns but those of the `omit`ted properties. */
  private fieldsWithout(omit: readonly string[]): readonly string[] {
    if (omit.length === 0) return this.visibleFields;
    let fields = this.without.get(omit);
    if (!fields) {
      const skipped = new Set(omit.map((prop) => this.fields.get(prop)));
      fields = this.visibleFields.filter((field) => !skipped.has(field));
      this.without.set(omit, fields);
    }
    return fields;
  }

  /** `fieldsWithout` by the (constant) list it was asked for: the hot path filters nothing. */
  private readonly without = new Map<readonly string[], readonly string[]>();

  /** Maps a raw row (column names as keys) to a record with property names and JS types. */
  toRecord<T>(row: Record<string, unknown>): T {
    const record = this.mapRow(row);
    const custom = this.customTypeList;
    for (let i = 0; i < custom.length; i++) {
      const [prop, type] = custom[i]!;
      if (record[prop] != null) record[prop] = type.convertToJSValue(record[prop], this.platform);
    }
    for (let i = 0; i < this.hidden.length; i++) delete record[this.hidden[i]!];
    return record as T;
  }

  /** Maps the `prefix`ed half of a joined row. */
  toRecordFromPrefixed<T>(row: Record<string, unknown>, prefix: string, omit: readonly string[] = NONE): T {
    const { fields, keys } = this.prefixedColumns(prefix, omit);
    const own: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) own[fields[i]!] = row[keys[i]!];
    return this.toRecord<T>(own);
  }

  /**
   * The columns of `toRecordFromPrefixed` and their names in the joined row, made once per prefix
   * and (constant) omit list: no string is built per call, and the keys are the same strings every
   * time, so looking them up in a row costs no string-table search.
   */
  private prefixedColumns(prefix: string, omit: readonly string[]): { fields: readonly string[]; keys: readonly string[] } {
    let byPrefix = this.prefixed.get(omit);
    if (!byPrefix) this.prefixed.set(omit, (byPrefix = new Map()));
    let columns = byPrefix.get(prefix);
    if (!columns) {
      const fields = this.fieldsWithout(omit);
      columns = { fields, keys: fields.map((field) => prefix + field) };
      byPrefix.set(prefix, columns);
    }
    return columns;
  }

  private readonly prefixed = new Map<readonly string[], Map<string, { fields: readonly string[]; keys: readonly string[] }>>();

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
    // A table keyed by what the record holds (a session by its token, an account by provider and
    // account id, as Drizzle's and Prisma's layouts are) has no surrogate to supply.
    if (!this.surrogateKey) return data;
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
   * Inserts one row with bound values (no unit of work involved), filling `onCreate` columns the
   * data lacks. Returns the data as inserted, with the key the database generated when it generates keys.
   */
  async insert(data: Record<string, unknown>, em: () => EntityManager): Promise<Record<string, unknown>> {
    for (const [prop, hook] of this.onCreate) if (data[prop] === undefined) data[prop] = hook(data, em());
    checkLengths(this.limits, data);
    const key = this.primaryKeys[0]!;
    const returning = this.generatedKey && this.dialect.returning;
    const result = await this.dialect.execute(this.statements.insert(data));
    if (!this.generatedKey) return data;
    const id = returning ? this.toRecord<Record<string, unknown>>(result.rows[0] ?? {})[key] : this.keyFromDatabase(result.insertId);
    return id == null ? data : { ...data, [key]: id };
  }

  /** The first row matching `where` (property names), as a record; null when none. */
  async findOne<T>(where: Record<string, unknown>): Promise<T | null> {
    const { rows } = await this.dialect.execute(this.statements.keyed("findOne", where));
    return rows[0] ? this.toRecord<T>(rows[0]) : null;
  }

  /** Every row matching `where`, as records. */
  async findAll<T>(where: Record<string, unknown>): Promise<T[]> {
    const { rows } = await this.dialect.execute(this.statements.keyed("findAll", where));
    return rows.map((row) => this.toRecord<T>(row));
  }

  /**
   * Deletes the rows matching `where` and returns them, atomically: of concurrent callers, one gets
   * each row. `DELETE ... RETURNING` where the dialect has it; else a locking read and the delete
   * in one transaction.
   */
  async deleteReturning<T>(where: Record<string, unknown>): Promise<T[]> {
    if (this.dialect.returning || this.dialect.deleteReturning) {
      const { rows } = await this.dialect.execute(this.statements.keyed("deleteReturning", where));
      return rows.map((row) => this.toRecord<T>(row));
    }
    const rows = await this.dialect.transaction(async (tx) => {
      const found = await tx.execute(this.statements.keyed("lock", where));
      if (found.rows.length > 0) await tx.execute(this.statements.keyed("delete", where));
      return found.rows;
    });
    return rows.map((row) => this.toRecord<T>(row));
  }

  /** Updates the rows matching `where`: the updated rows, or none when nothing matched. `onUpdate` columns are refreshed. */
  async updateReturning<T>(set: Record<string, unknown>, where: Record<string, unknown>, em: () => EntityManager): Promise<T[]> {
    const changes = { ...set };
    for (const [prop, hook] of this.onUpdate) if (changes[prop] === undefined) changes[prop] = hook(changes, em());
    checkLengths(this.limits, changes);
    const b = new Binder(this.dialect);
    const assignments = Object.entries(changes).map(([prop, v]) => `${this.column(prop)} = ${b.bind(this.param(prop, v))}`).join(", ");
    const clause = this.whereClause(where, b);
    if (this.dialect.returning) {
      const { rows } = await this.dialect.execute(this.statement(`update ${this.table} set ${assignments} where ${clause} returning *`, b.values));
      return rows.map((row) => this.toRecord<T>(row));
    }
    const rows = await this.dialect.transaction(async (tx) => {
      const updated = await tx.execute(this.statement(`update ${this.table} set ${assignments} where ${clause}`, b.values));
      if (updated.affected === 0) return [];
      // The read-back binds only the where values: a fresh binder numbers them from the first placeholder.
      const r = new Binder(this.dialect);
      const readClause = this.whereClause(where, r);
      return (await tx.execute(this.statement(`select * from ${this.table} where ${readClause}`, r.values))).rows;
    });
    return rows.map((row) => this.toRecord<T>(row));
  }

  /** Deletes rows matching `where`; returns how many. */
  async deleteWhere(where: Record<string, unknown>): Promise<number> {
    return (await this.dialect.execute(this.statements.keyed("delete", where))).affected;
  }

  /** See `deleteBatchBefore` in tableBatches.ts: at most `limit` rows at or before `before`, never waiting on a row in use. */
  deleteBatchBefore(prop: string, before: Date, limit: number): Promise<number> {
    return deleteBatchBefore(this, prop, before, limit);
  }

  /** See `rewriteBatch` in tableBatches.ts: one locked batch of a rewrite job, in one transaction. */
  rewriteBatch<T>(
    props: readonly string[],
    after: unknown,
    limit: number,
    rewrite: (row: T) => Promise<Record<string, unknown> | null> | Record<string, unknown> | null,
    donePrefix?: string,
  ): Promise<RewriteBatchResult> {
    return rewriteBatch(this, props, after, limit, rewrite, donePrefix);
  }

  /** A statement on this table (named, so a dialect can tell which table is missing). */
  statement(text: string, values: readonly unknown[], tables: readonly string[] = this.tables): Statement {
    return { text, values, tables };
  }

  /** `col = <placeholder>` per key; a value that cannot be a key of its column (converted to null) matches nothing. */
  private whereClause(where: Record<string, unknown>, b: Binder): string {
    return Object.keys(where)
      .map((prop) => `${this.column(prop)} = ${b.bind(this.param(prop, where[prop]))}`)
      .join(" and ");
  }

  private keyFromDatabase(id: unknown): unknown {
    if (id == null) return id;
    const custom = this.customTypes.get(this.primaryKeys[0]!);
    return custom ? custom.convertToJSValue(typeof id === "bigint" ? Number(id) : id, this.platform) : id;
  }
}

/** The `onCreate`/`onUpdate` functions declared on the properties, by property name. */
function hooks(props: EntityProperty[], kind: "onCreate" | "onUpdate"): Array<[string, Hook]> {
  return props.filter((p) => typeof p[kind] === "function").map((p) => [p.name, p[kind] as unknown as Hook]);
}

/** False for a type that hands values through both ways (`LongTextType`): no call per row for it. */
function converts(type: Type<unknown, unknown>): boolean {
  return type.convertToJSValue !== Type.prototype.convertToJSValue || type.convertToDatabaseValue !== Type.prototype.convertToDatabaseValue;
}
