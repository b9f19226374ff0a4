import { MikroORM } from "@mikro-orm/core";
import { createAdapterKit, entityList, type AdapterKit } from "../../src";
import type { TestMariaDb } from "./mariadb";
import type { MySqlDriverCase } from "./mysqlDrivers";

/**
 * A kit on an app-owned MikroORM whose `onQuery` hook records every statement's text, on the
 * MariaDB test server through `driverCase`'s driver. Both are closed afterwards, also on failure.
 */
export async function withRecordingKit(db: TestMariaDb, { driver, url }: MySqlDriverCase, run: (kit: AdapterKit, seen: string[]) => Promise<void>): Promise<void> {
  const seen: string[] = [];
  const orm = await MikroORM.init({
    driver,
    clientUrl: url(db),
    entities: entityList(),
    forceUtcTimezone: true,
    onQuery: (sql: string) => {
      seen.push(sql);
      return sql;
    },
  });
  try {
    await orm.getSchemaGenerator().updateSchema({ safe: true });
    const kit = createAdapterKit({ database: orm });
    try {
      await run(kit, seen);
    } finally {
      await kit.close();
    }
  } finally {
    await orm.close(true);
  }
}
