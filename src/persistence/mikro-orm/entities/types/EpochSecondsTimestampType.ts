import { Type, type EntityProperty, type Platform } from "@mikro-orm/core";

/** `2021-03-04 05:06:07.890` without a zone, as TypeORM wrote UTC datetimes into SQLite. */
const ZONELESS = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * A timestamp column read and written as seconds since the epoch: NextAuth v3 kept an account's
 * `access_token_expires` as a timestamp, Auth.js records carry `expires_at` in seconds.
 */
export class EpochSecondsTimestampType extends Type<number | null | undefined, Date | number | null | undefined> {
  override convertToDatabaseValue(value: number | Date | null | undefined, platform: Platform): Date | number | null | undefined {
    if (value == null) return value;
    const date = value instanceof Date ? value : new Date(Number(value) * 1000);
    // SQLite stores dates as numbers (ms); PostgreSQL takes the Date.
    return platform.processDateProperty(date) as Date | number;
  }

  override convertToJSValue(value: Date | number | string | null | undefined): number | null | undefined {
    if (value == null) return value;
    const ms =
      value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(ZONELESS.test(value) ? `${value.replace(" ", "T")}Z` : value);
    return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
  }

  override getColumnType(prop: EntityProperty, platform: Platform): string {
    return platform.getDateTimeTypeDeclarationSQL({ length: prop.length });
  }

  override compareAsType(): string {
    return "any";
  }

  override get runtimeType(): string {
    return "number";
  }
}
