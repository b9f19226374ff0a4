import { MikroORM } from "@mikro-orm/core";
import { createAdapterKit, entityList } from "../../src";
import { createTestMariaDb, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";
import { uniqueEmail } from "../support/storeSets";

let db: TestMariaDb;
beforeAll(async () => {
  db = await createTestMariaDb();
});
afterAll(() => db.drop());

test.each(MYSQL_DRIVERS)("an app's onQuery hook sees every statement of the kit, with placeholders ($name driver)", async ({ driver, url }) => {
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
  await orm.getSchemaGenerator().updateSchema({ safe: true });
  const kit = createAdapterKit({ database: orm });
  try {
    const email = uniqueEmail("onquery");
    const user = await kit.authjs.createUser({ email, emailVerified: null });
    expect(await kit.authjs.getUserByEmail(email)).toEqual(user);
    const kitStatements = seen.filter((sql) => /`users`/.test(sql) && /\?/.test(sql));
    expect(kitStatements.length).toBeGreaterThanOrEqual(2);
    expect(seen.filter((sql) => sql.includes(email))).toEqual([]);
  } finally {
    await kit.close();
    await orm.close(true);
  }
});
