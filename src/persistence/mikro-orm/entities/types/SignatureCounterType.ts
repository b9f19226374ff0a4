import { BaseSqlitePlatform } from "@mikro-orm/knex";
import { BigIntType, type EntityProperty, type Platform } from "@mikro-orm/core";

/**
 * A WebAuthn signature counter: an unsigned 32-bit number, past the range of PostgreSQL's and
 * MySQL's `int`, so `bigint` there, read back as a JS number. SQLite's `integer` already holds
 * 64 bits, and keeps its declared name (no table rebuild for a name).
 */
export class SignatureCounterType extends BigIntType<"number"> {
  constructor() {
    super("number");
  }

  override getColumnType(prop: EntityProperty, platform: Platform): string {
    return platform instanceof BaseSqlitePlatform ? "integer" : super.getColumnType(prop, platform);
  }
}
