import { Migration } from "@mikro-orm/migrations";
import { EXACT_COLLATION_QUERY, exactCollationOf, PADDING_COLLATION } from "../../dialects/mysql/exactCollation";
import { refuseForeignKeysFromOtherTables, refuseRowsThatDoNotFit, USER_KEYS, type Sql } from "./exactKeysChecks";

/** The tables (users first: the others point at it) and the text columns each one changes. */
const TABLES: Record<string, readonly string[]> = {
  users: ["`name` TYPE null", "`image` TYPE null"],
  sessions: [],
  accounts: ["`refresh_token` TYPE null", "`access_token` TYPE null", "`scope` TYPE null", "`id_token` TYPE null", "`session_state` TYPE null"],
  authenticators: ["`credential_public_key` TYPE not null", "`counter` COUNTER not null"],
  verification_tokens: [],
};

/**
 * Three changes to the kit's MySQL and MariaDB tables, in one rebuild of each table:
 * - from `utf8mb4_bin` (PAD SPACE) to the server's NO PAD binary collation, so that `"tok "` and
 *   `"tok"` are two keys, as on PostgreSQL (see exactCollation.ts);
 * - text columns from `text` (64 KiB) to `mediumtext` (16 MiB), as `LongTextType` declares them:
 *   an avatar as a data URL or a large ID token fitted on PostgreSQL and SQLite only;
 * - `authenticators.counter` from `int` to `bigint`: a WebAuthn signature counter is an unsigned
 *   32-bit number (PostgreSQL's migration of the same name does the same).
 * Written by hand: MikroORM's schema diff does not see collations.
 *
 * MariaDB refuses to change the collation of a column a foreign key uses, even with
 * `foreign_key_checks` off, so the three keys to `users` are dropped and made again. DDL commits
 * on its own here, so what could fail halfway is checked first, and a second run after a failure
 * finds its way: it drops only the keys that exist, and each table gets its key back as soon as
 * it is converted.
 */
export class Migration20261202000000 extends Migration {
  override async up(): Promise<void> {
    await refuseForeignKeysFromOtherTables(this.sql(), Object.keys(TABLES));
    const collation = exactCollationOf((await this.execute(EXACT_COLLATION_QUERY)) as Array<Record<string, unknown>>);
    await this.convert(collation, "mediumtext", "bigint");
  }

  override async down(): Promise<void> {
    await refuseForeignKeysFromOtherTables(this.sql(), Object.keys(TABLES));
    await refuseRowsThatDoNotFit(this.sql(), TABLES);
    await this.convert(PADDING_COLLATION, "text", "int");
  }

  private sql(): Sql {
    return async (text, params = []) => (await this.execute(text, params)) as Array<Record<string, unknown>>;
  }

  private async convert(collation: string, textType: string, counterType: string): Promise<void> {
    const present = new Set(
      (
        await this.execute(
          "select constraint_name as n from information_schema.referential_constraints where constraint_schema = database() and referenced_table_name = 'users'",
        )
      ).map((row: Record<string, unknown>) => String(row.n ?? row.N)),
    );
    for (const table of USER_KEYS) {
      if (present.has(`${table}_user_id_foreign`)) this.addSql(`alter table \`${table}\` drop foreign key \`${table}_user_id_foreign\`;`);
    }
    for (const [table, columns] of Object.entries(TABLES)) {
      const modify = columns.map((column) => `, modify ${column.replace("TYPE", `${textType} collate ${collation}`).replace("COUNTER", counterType)}`).join("");
      this.addSql(`alter table \`${table}\` convert to character set utf8mb4 collate ${collation}${modify};`);
      if (USER_KEYS.includes(table)) {
        this.addSql(
          `alter table \`${table}\` add constraint \`${table}_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade on delete cascade;`,
        );
      }
    }
  }
}
