import { Migration } from "@mikro-orm/migrations";
import { EXACT_COLLATION_QUERY, exactCollationOf, PADDING_COLLATION } from "../../dialects/mysql/exactCollation";

/** The tables, their text columns, and the foreign keys that point at `users`, as the initial migration made them. */
const TABLES: Record<string, readonly string[]> = {
  users: ["`name` TYPE null", "`image` TYPE null"],
  sessions: [],
  accounts: ["`refresh_token` TYPE null", "`access_token` TYPE null", "`scope` TYPE null", "`id_token` TYPE null", "`session_state` TYPE null"],
  authenticators: ["`credential_public_key` TYPE not null", "`counter` COUNTER not null"],
  verification_tokens: [],
};
const USER_KEYS = ["sessions", "accounts", "authenticators"];

/**
 * Two changes to the kit's MySQL and MariaDB tables, one rebuild of each:
 * - from `utf8mb4_bin` (PAD SPACE) to the server's NO PAD binary collation, so that `"tok "` and
 *   `"tok"` are two keys, as on PostgreSQL (see exactCollation.ts);
 * - text columns from `text` (64 KiB) to `mediumtext` (16 MiB), as `LongTextType` declares them:
 *   an avatar as a data URL or a large ID token fitted on PostgreSQL and SQLite only;
 * - `authenticators.counter` from `int` to `bigint`: a WebAuthn signature counter is an unsigned
 *   32-bit number (PostgreSQL's migration of the same name does the same).
 * Written by hand: MikroORM's schema diff does not see collations.
 *
 * MariaDB refuses to change the collation of a column a foreign key uses, even with
 * `foreign_key_checks` off, so the three keys to `users` are dropped and made again.
 */
export class Migration20261202000000 extends Migration {
  override async up(): Promise<void> {
    this.convert(exactCollationOf((await this.execute(EXACT_COLLATION_QUERY)) as Array<Record<string, unknown>>), "mediumtext", "bigint");
  }

  override async down(): Promise<void> {
    this.convert(PADDING_COLLATION, "text", "int");
  }

  private convert(collation: string, textType: string, counterType: string): void {
    for (const table of USER_KEYS) this.addSql(`alter table \`${table}\` drop foreign key \`${table}_user_id_foreign\`;`);
    for (const [table, columns] of Object.entries(TABLES)) {
      const modify = columns.map((column) => `, modify ${column.replace("TYPE", `${textType} collate ${collation}`).replace("COUNTER", counterType)}`).join("");
      this.addSql(`alter table \`${table}\` convert to character set utf8mb4 collate ${collation}${modify};`);
    }
    for (const table of USER_KEYS) {
      this.addSql(
        `alter table \`${table}\` add constraint \`${table}_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade on delete cascade;`,
      );
    }
  }
}
