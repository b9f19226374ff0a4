import { createTestMariaDb, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";
import { withRecordingKit } from "../support/recordingKit";
import { uniqueEmail } from "../support/storeSets";

let db: TestMariaDb;
beforeAll(async () => {
  db = await createTestMariaDb();
});
afterAll(() => db.drop());

/**
 * On a MariaDB server both connectors claim a verification token with one `DELETE ... RETURNING`
 * (mysql2 once its first connection showed the server is MariaDB; on MySQL 8 it keeps the locking
 * read and delete in a transaction): one statement, and still one winner among concurrent uses.
 */
test.each(MYSQL_DRIVERS)("useVerificationToken on MariaDB is one DELETE ... RETURNING ($name driver)", async (driverCase) => {
  await withRecordingKit(db, driverCase, async (kit, seen) => {
    const expires = new Date(Date.now() + 60_000);
    await kit.authjs.getUserByEmail(uniqueEmail("warm-up")); // the first connection tells mysql2 which server it is
    const identifier = uniqueEmail("claim");
    await kit.authjs.createVerificationToken!({ identifier, token: "claim-token", expires });
    seen.length = 0;
    const uses = await Promise.all(Array.from({ length: 4 }, () => kit.authjs.useVerificationToken!({ identifier, token: "claim-token" })));
    expect(uses.filter((u) => u !== null)).toEqual([{ identifier, token: "claim-token", expires: expect.any(Date) }]);
    const statements = seen.filter((sql) => /verification_tokens/.test(sql));
    expect(statements).toHaveLength(4);
    for (const sql of statements) expect(sql).toMatch(/^delete from `verification_tokens` where .* returning \*$/);
    expect(seen.filter((sql) => /start transaction|for update/.test(sql))).toEqual([]);
  });
});
