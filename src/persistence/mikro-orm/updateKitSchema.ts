import type { MikroORM } from "@mikro-orm/core";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import type { Dialect } from "./dialects/Dialect";
import { newTableCollation } from "./dialects/mysql/newTableCollation";
import { schemaChangeFailure, schemaStatements, uniqueIndexOf } from "./schemaStatements";

/**
 * Adds what the entities have and the database lacks (`safe`: never drops). On PostgreSQL the
 * whole change is one multi-statement query, which the server runs as one transaction: a failure
 * halfway (a duplicate under a new unique key) leaves the schema as it was. SQLite's dialect runs
 * it in one transaction itself. MySQL commits each DDL statement on its own: there it runs
 * statement by statement, and a duplicate names the unique key it stopped. `exactCollation`: pick
 * the collation of new MySQL-family tables (`newTableCollation`).
 */
export async function updateKitSchema(orm: MikroORM, dialect: Dialect, exactCollation: boolean): Promise<void> {
  if (exactCollation && ["mysql", "mariadb"].includes(dialect.name)) {
    orm.config.set("collate", await newTableCollation(orm, dialect));
  }
  const generator = orm.getSchemaGenerator();
  const sql = await generator.getUpdateSchemaSQL({ safe: true });
  if (dialect.changeSchema) return dialect.changeSchema(sql);
  const connection = orm.em.getConnection() as AbstractSqlConnection;
  if (dialect.name !== "postgresql") {
    for (const statement of schemaStatements(sql).statements) {
      await connection.execute(statement, [], "run").catch((error: unknown) => {
        // Name the unique key a duplicate stopped (MySQL's error names it only in its message, which quotes the row).
        throw schemaChangeFailure(dialect.classify(error, "statement"), uniqueIndexOf(statement), error);
      });
    }
    return;
  }
  // No values: pg sends it as a simple query, whose statements share one implicit transaction.
  if (sql.trim() !== "") await connection.execute(sql, [], "run");
}
