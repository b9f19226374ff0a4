import type { Options } from "@mikro-orm/core";
import { MariaDbDriver } from "@mikro-orm/mariadb";
import { MySqlDriver } from "@mikro-orm/mysql";
import type { TestMariaDb } from "./mariadb";

/** The two drivers every MySQL-family test runs with, both against the MariaDB server. */
export interface MySqlDriverCase {
  name: "mariadb" | "mysql";
  /** The MikroORM driver class (typed loosely: the two classes are siblings, not one type). */
  driver: NonNullable<Options["driver"]>;
  url(db: TestMariaDb): string;
}

export const MYSQL_DRIVERS: readonly MySqlDriverCase[] = [
  { name: "mariadb", driver: MariaDbDriver as never, url: (db) => db.mariadbUrl },
  { name: "mysql", driver: MySqlDriver as never, url: (db) => db.mysqlUrl },
];
