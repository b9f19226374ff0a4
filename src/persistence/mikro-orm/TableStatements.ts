import { Binder, type Dialect, type Statement } from "./dialects/Dialect";

/** What the statements of one table need from it (EntityTable). */
export interface StatementTable {
  readonly table: string;
  readonly dialect: Dialect;
  readonly tables: readonly string[];
  readonly className: string;
  column(prop: string): string;
  param(prop: string, value: unknown): unknown;
}

/** The statements keyed by equality on some columns: select one, select all, delete returning, locking read, delete. */
export const KEYED = {
  findOne: (table: string, where: string) => `select * from ${table} where ${where} limit 1`,
  findAll: (table: string, where: string) => `select * from ${table} where ${where}`,
  deleteReturning: (table: string, where: string) => `delete from ${table} where ${where} returning *`,
  lock: (table: string, where: string, forUpdate: string) => `select * from ${table} where ${where}${forUpdate}`,
  delete: (table: string, where: string) => `delete from ${table} where ${where}`,
} as const;

export type KeyedKind = keyof typeof KEYED;

/**
 * The statement texts of one table, built once per set of columns (a bit set over the table's
 * single-column properties in metadata order) rather than quoted and joined on every call; values
 * are bound in that order. A table of more than 31 such columns (no 32-bit set holds them) gets its
 * texts built per call.
 */
export class TableStatements {
  private readonly bitOf: ReadonlyMap<string, number>;
  private readonly wide: boolean;
  private readonly insertTexts = new Map<number, string>();
  private readonly keyedTexts = new Map<KeyedKind, Map<number, string>>();

  constructor(
    private readonly owner: StatementTable,
    /** Every single-column property, in metadata order. */
    private readonly order: readonly string[],
    /** The generated key `insert` returns, when the dialect has RETURNING and the database generates keys. */
    private readonly returningKey: string | undefined,
  ) {
    this.bitOf = new Map(order.map((prop, i) => [prop, i]));
    this.wide = order.length > 31;
    for (const kind of Object.keys(KEYED) as KeyedKind[]) this.keyedTexts.set(kind, new Map());
  }

  /** True when `prop` is a single-column property of the table. */
  has(prop: string): boolean {
    return this.bitOf.has(prop);
  }

  /** `insert` of the properties `data` has a value for (undefined: left out), values bound in metadata order. */
  insert(data: Record<string, unknown>): Statement {
    const { order, owner } = this;
    const values: unknown[] = [];
    let shape = 0;
    const present: string[] | undefined = this.wide ? [] : undefined;
    for (let i = 0; i < order.length; i++) {
      const value = data[order[i]!];
      if (value === undefined) continue;
      if (present) present.push(order[i]!);
      else shape |= 1 << i;
      values.push(owner.dialect.bindValue(owner.param(order[i]!, value)));
    }
    return { text: present ? this.insertText(present) : this.cachedInsertText(shape), values, tables: owner.tables };
  }

  /**
   * A statement of kind `kind` on the rows matching `where` (every key a property; its value bound,
   * compared with `=`; a value that cannot be a key of its column, converted to null, matches nothing).
   */
  keyed(kind: KeyedKind, where: Record<string, unknown>): Statement {
    const { order, owner } = this;
    if (this.wide) return this.keyedWide(kind, where);
    let shape = 0;
    for (const prop in where) shape |= 1 << this.bit(prop);
    const values: unknown[] = [];
    for (let i = 0; i < order.length; i++) {
      if ((shape & (1 << i)) !== 0) values.push(owner.dialect.bindValue(owner.param(order[i]!, where[order[i]!])));
    }
    const texts = this.keyedTexts.get(kind)!;
    let text = texts.get(shape);
    if (text === undefined) {
      text = this.keyedText(kind, this.propsOf(shape));
      if (texts.size < 64) texts.set(shape, text);
    }
    return { text, values, tables: owner.tables };
  }

  private keyedWide(kind: KeyedKind, where: Record<string, unknown>): Statement {
    const props = Object.keys(where);
    for (const prop of props) this.bit(prop);
    const values = props.map((prop) => this.owner.dialect.bindValue(this.owner.param(prop, where[prop])));
    return { text: this.keyedText(kind, props), values, tables: this.owner.tables };
  }

  private bit(prop: string): number {
    const bit = this.bitOf.get(prop);
    if (bit === undefined) throw new TypeError(`${this.owner.className} has no column property "${prop}"`);
    return bit;
  }

  private keyedText(kind: KeyedKind, props: readonly string[]): string {
    const b = new Binder(this.owner.dialect);
    const where = props.map((prop) => `${this.owner.column(prop)} = ${b.bind(null)}`).join(" and ");
    return KEYED[kind](this.owner.table, where, this.owner.dialect.forUpdate);
  }

  /** Bounded: apps with extra optional columns make a few more shapes, never one per call. */
  private cachedInsertText(shape: number): string {
    let text = this.insertTexts.get(shape);
    if (text === undefined) {
      text = this.insertText(this.propsOf(shape));
      if (this.insertTexts.size < 256) this.insertTexts.set(shape, text);
    }
    return text;
  }

  private insertText(props: readonly string[]): string {
    const { owner } = this;
    const placeholders = props.map((_, i) => owner.dialect.placeholder(i + 1)).join(", ");
    const columns = props.map((prop) => owner.column(prop)).join(", ");
    const text = props.length > 0 ? `insert into ${owner.table} (${columns}) values (${placeholders})` : `insert into ${owner.table} default values`;
    return this.returningKey ? `${text} returning ${owner.column(this.returningKey)}` : text;
  }

  /** The properties whose bits are set in `shape`, in metadata order. */
  private propsOf(shape: number): string[] {
    return this.order.filter((_, i) => (shape & (1 << i)) !== 0);
  }
}
