import { Migration } from "@mikro-orm/migrations";

/**
 * `authenticators.counter` from `int` to `bigint`: a WebAuthn signature counter is an unsigned
 * 32-bit number, and an authenticator past 2,147,483,647 could no longer sign in.
 */
export class Migration20261202000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "authenticators" alter column "counter" type bigint using ("counter"::bigint);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "authenticators" alter column "counter" type int using ("counter"::int);`);
  }
}
