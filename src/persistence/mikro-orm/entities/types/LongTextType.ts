import { MySqlPlatform } from "@mikro-orm/knex";
import { TextType, type EntityProperty, type Platform } from "@mikro-orm/core";

/**
 * Text of any length the app may hand over (avatars as data URLs, large ID tokens): `text` on
 * PostgreSQL and SQLite, where it is unbounded. MySQL's and MariaDB's `text` holds 64 KiB, so
 * there it is `mediumtext` (16 MiB). Values pass through unchanged.
 */
export class LongTextType extends TextType {
  override getColumnType(prop: EntityProperty, platform: Platform): string {
    return platform instanceof MySqlPlatform ? "mediumtext" : super.getColumnType(prop, platform);
  }
}
