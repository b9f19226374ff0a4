import type { MikroORM } from "@mikro-orm/core";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import type { Dialect } from "./dialects/Dialect";
import { newTableCollation } from "./dialects/mysql/newTableCollation";

/**
 * Adds what the entities have and the database lacks (`safe`: never drops). On PostgreSQL the
 * whole change is one multi-statement query, which the server runs as one transaction: a failure
 * halfway (a duplicate under a new unique key) leaves the schema as it was. SQLite's dialect runs
 * it in one transaction itself. MySQL commits each DDL statement on its own: there it runs
 * statement by statement. `exactCollation`: pick new MySQL-family tables' collation (`newTableCollation`).
 */
export async function updateKitSchema(orm: MikroORM, dialect: Dialect, exactCollation: boolean): Promise<void> {
  if (exactCollation && ["mysql", "mariadb"].includes(dialect.name)) {
    orm.config.set("collate", await newTableCollation(orm, dialect));
  }
  const generator = orm.getSchemaGenerator();
  if (dialect.changeSchema) return dialect.changeSchema(await generator.getUpdateSchemaSQL({ safe: true }));
  if (dialect.name !== "postgresql") return generator.updateSchema({ safe: true });
  const sql = await generator.getUpdateSchemaSQL({ safe: true });
  // No values: pg sends it as a simple query, whose statements share one implicit transaction.
  if (sql.trim() !== "") await (orm.em.getConnection() as AbstractSqlConnection).execute(sql, [], "run");
}
