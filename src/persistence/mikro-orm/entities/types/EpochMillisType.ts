import { Type, type EntityProperty } from "@mikro-orm/core";

/**
 * A date held as integer milliseconds since the epoch (Drizzle's SQLite `timestamp_ms`). MikroORM
 * stores SQLite dates as such numbers too, but a column declared `integer` makes it read them as
 * plain numbers: this type turns them back into dates.
 */
export class EpochMillisType extends Type<Date | null | undefined, number | null | undefined> {
  override convertToDatabaseValue(value: Date | number | string | null | undefined): number | null | undefined {
    if (value == null) return value;
    return value instanceof Date ? value.getTime() : typeof value === "number" ? value : new Date(value).getTime();
  }

  override convertToJSValue(value: Date | number | string | null | undefined): Date | null | undefined {
    if (value == null || value instanceof Date) return value;
    return new Date(Number(value));
  }

  override getColumnType(prop: EntityProperty): string {
    return prop.columnTypes?.[0] ?? "integer";
  }

  override compareAsType(): string {
    return "any";
  }

  override get runtimeType(): string {
    return "any";
  }
}
