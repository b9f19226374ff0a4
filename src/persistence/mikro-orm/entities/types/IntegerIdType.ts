import { Type, type EntityProperty, type Platform } from "@mikro-orm/core";

/** The largest value of a PostgreSQL `integer` (what NextAuth v3's TypeORM `int` ids are). */
const MAX_INT4 = 2_147_483_647;
/** The canonical text of a non-negative integer: "1", never "01" or "1.0" (those are other ids). */
const DIGITS = /^(0|[1-9][0-9]{0,9})$/;

/**
 * An integer key column (NextAuth v3's serial ids) seen as a string id, as Auth.js records carry
 * ids: `1` reads as `"1"`, and `"1"` (or `1`) writes as `1`. A value that cannot be such a key
 * (`"abc"`, a UUID, out of range) becomes null, which matches no row: an unknown id finds nothing
 * instead of failing the statement.
 */
export class IntegerIdType extends Type<string | null | undefined, number | null | undefined> {
  override convertToDatabaseValue(value: string | number | null | undefined): number | null | undefined {
    if (value == null) return value;
    const text = String(value);
    if (!DIGITS.test(text)) return null;
    const n = Number(text);
    return n <= MAX_INT4 ? n : null;
  }

  override convertToJSValue(value: number | string | null | undefined): string | null | undefined {
    return value == null ? value : String(value);
  }

  override getColumnType(prop: EntityProperty, platform: Platform): string {
    return platform.getIntegerTypeDeclarationSQL(prop);
  }

  override compareAsType(): string {
    return "number";
  }

  override get runtimeType(): string {
    return "string";
  }
}
