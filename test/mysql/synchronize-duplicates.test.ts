/**
 * `synchronize` on MySQL and MariaDB meeting rows a new unique key cannot hold: the error names the
 * key, as on PostgreSQL and SQLite, and never the duplicated value (the server's own message quotes
 * it). DDL commits statement by statement here, so what came before stays, and a run after the
 * duplicates are removed completes.
 */
import { inspect } from "node:util";
import { AdapterError, createAdapterKit } from "../../src";
import { createTestMariaDb, mariaQuery } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";

const USERS =
  "create table `users` (`id` varchar(255) not null, `name` text null, `email` varchar(255) null, `email_verified` datetime(3) null, `image` text null, primary key (`id`)) default character set utf8mb4 collate utf8mb4_nopad_bin";

describe.each(MYSQL_DRIVERS)("through the $name driver", ({ url }) => {
  test("duplicate e-mails: the unique key is named, the e-mail never; once they are gone it completes", async () => {
    const db = await createTestMariaDb();
    const kit = createAdapterKit({ database: url(db), secret: "mysql-synchronize-secret-0123456789" });
    try {
      await mariaQuery(db.mysqlUrl, USERS);
      await mariaQuery(db.mysqlUrl, "insert into users (id, email) values ('u1', 'twice@example.com'), ('u2', 'twice@example.com')");
      const failure = await kit.synchronize().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AdapterError);
      expect(failure).toMatchObject({ code: "CONFLICT", message: expect.stringContaining('existing rows hold duplicate values where the unique key "users_email_unique" is added') });
      for (const shown of [inspect(failure, { depth: 10 }), JSON.stringify(failure)]) expect(shown).not.toContain("twice@");

      await mariaQuery(db.mysqlUrl, "delete from users where id = 'u2'");
      await kit.synchronize();
      const keys = await mariaQuery(db.mysqlUrl, "select index_name as k from information_schema.statistics where table_schema = database() and table_name = 'users' and non_unique = 0 order by 1");
      expect(keys.map((row) => row.k)).toEqual(["PRIMARY", "users_email_unique"]);
      expect(await kit.authjs.getUserByEmail("twice@example.com")).toMatchObject({ id: "u1" });
    } finally {
      await kit.close();
      await db.drop();
    }
  });
});
