import { createTestMariaDb, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";
import { withRecordingKit } from "../support/recordingKit";
import { uniqueEmail } from "../support/storeSets";

let db: TestMariaDb;
beforeAll(async () => {
  db = await createTestMariaDb();
});
afterAll(() => db.drop());

test.each(MYSQL_DRIVERS)("an app's onQuery hook sees every statement of the kit, with placeholders ($name driver)", async (driverCase) => {
  await withRecordingKit(db, driverCase, async (kit, seen) => {
    const email = uniqueEmail("onquery");
    const user = await kit.authjs.createUser({ email, emailVerified: null });
    expect(await kit.authjs.getUserByEmail(email)).toEqual(user);
    const kitStatements = seen.filter((sql) => /`users`/.test(sql) && /\?/.test(sql));
    expect(kitStatements.length).toBeGreaterThanOrEqual(2);
    expect(seen.filter((sql) => sql.includes(email))).toEqual([]);
  });
});
