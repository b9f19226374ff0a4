import { Migration } from "@mikro-orm/migrations";
import { EXACT_COLLATION_QUERY, exactCollationOf, PADDING_COLLATION } from "../../dialects/mysql/exactCollation";

/** The tables and the foreign keys that point at `users`, as the initial migration made them. */
const TABLES = ["users", "sessions", "accounts", "authenticators", "verification_tokens"];
const USER_KEYS = ["sessions", "accounts", "authenticators"];

/**
 * The kit's tables move from `utf8mb4_bin` (PAD SPACE) to the server's NO PAD binary collation,
 * so that `"tok "` and `"tok"` are two keys, as on PostgreSQL (see exactCollation.ts).
 * Written by hand: MikroORM's schema diff does not see collations.
 *
 * MariaDB refuses to change the collation of a column a foreign key uses, even with
 * `foreign_key_checks` off, so the three keys to `users` are dropped and made again. Each
 * CONVERT rebuilds its table.
 */
export class Migration20261202000000 extends Migration {
  override async up(): Promise<void> {
    this.convert(exactCollationOf((await this.execute(EXACT_COLLATION_QUERY)) as Array<Record<string, unknown>>));
  }

  override async down(): Promise<void> {
    this.convert(PADDING_COLLATION);
  }

  private convert(collation: string): void {
    for (const table of USER_KEYS) this.addSql(`alter table \`${table}\` drop foreign key \`${table}_user_id_foreign\`;`);
    for (const table of TABLES) this.addSql(`alter table \`${table}\` convert to character set utf8mb4 collate ${collation};`);
    for (const table of USER_KEYS) {
      this.addSql(
        `alter table \`${table}\` add constraint \`${table}_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade on delete cascade;`,
      );
    }
  }
}
