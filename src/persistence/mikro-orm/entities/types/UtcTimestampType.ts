import { Type, type EntityProperty } from "@mikro-orm/core";

/** Text of a `timestamp without time zone`: `2026-12-03 10:00:00.123`, without a zone. */
const ZONELESS = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * A PostgreSQL `timestamp without time zone` that holds UTC, as Drizzle (`mode: "date"`) and
 * Prisma write it. Read as a plain date, it would be taken in the process's own zone, so on a host
 * not in UTC every expiry would move by the offset. Written as ISO text (PostgreSQL drops the
 * zone for this type) and read as UTC. The runtime type is not `Date`: MikroORM would parse the
 * text in the local zone before this type sees it.
 */
export class UtcTimestampType extends Type<Date | null | undefined, string | null | undefined> {
  override convertToDatabaseValue(value: Date | string | null | undefined): string | null | undefined {
    if (value == null) return value;
    return (value instanceof Date ? value : new Date(value)).toISOString();
  }

  override convertToJSValue(value: Date | string | null | undefined): Date | null | undefined {
    if (value == null || value instanceof Date) return value;
    return new Date(ZONELESS.test(value) ? `${value.replace(" ", "T")}Z` : value);
  }

  override getColumnType(prop: EntityProperty): string {
    return prop.columnTypes?.[0] ?? "timestamp";
  }

  override compareAsType(): string {
    return "any";
  }

  override get runtimeType(): string {
    return "any";
  }
}
