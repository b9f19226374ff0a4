/**
 * The hot reads (a session with its user, a user by account) run as named prepared statements on
 * PostgreSQL. What a user must not notice: answers stay right across a migration that changes a
 * column's type, a lost connection, and an ORM configured to see every query (`onQuery`).
 */
import { randomBytes } from "node:crypto";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { createAdapterKit, TYPES, type AdapterKit } from "../../src";
import type { OrmConnection } from "../../src/persistence/mikro-orm/OrmConnection";
import { query, type TestDatabase } from "../support/database";
import { createTestDatabaseWithSchema } from "../support/schemaDatabase";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabaseWithSchema();
});
afterAll(() => db.drop());

const DAY = 24 * 3600 * 1000;

/** A user with a GitHub account and a live session. */
async function signedIn(kit: AdapterKit, name: string) {
  const user = await kit.authjs.createUser({ email: `${name}@example.com`, emailVerified: null, name });
  await kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: `gh-${name}` });
  const sessionToken = randomBytes(32).toString("hex");
  await kit.authjs.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() + DAY) });
  return { user, sessionToken, account: { provider: "github", providerAccountId: `gh-${name}` } };
}

describe("prepared reads", () => {
  test("a migration that changes a column's type does not break lookups already prepared", async () => {
    const kit = createAdapterKit({ database: db.url });
    try {
      const { user, sessionToken, account } = await signedIn(kit, "migrated");
      // Concurrent calls spread the statements over several pooled connections.
      const lookups = () => Promise.all(Array.from({ length: 12 }, () => kit.authjs.getSessionAndUser(sessionToken)));
      const byAccount = () => Promise.all(Array.from({ length: 12 }, () => kit.authjs.getUserByAccount(account)));
      await lookups();
      await byAccount();
      await query(db.url, "alter table users alter column name type varchar(400)");
      for (const found of await lookups()) expect(found?.user).toEqual(user);
      for (const found of await byAccount()) expect(found).toEqual(user);
      for (const found of await lookups()) expect(found?.session.sessionToken).toBe(sessionToken);
    } finally {
      await kit.close();
      await query(db.url, "alter table users alter column name type text");
    }
  });

  test("every server backend terminated: the next session lookup still answers", async () => {
    const kit = createAdapterKit({ database: db.url });
    try {
      const { user, sessionToken } = await signedIn(kit, "terminated");
      await Promise.all(Array.from({ length: 4 }, () => kit.authjs.getSessionAndUser(sessionToken)));
      await query(db.url, "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
      expect((await kit.authjs.getSessionAndUser(sessionToken))?.user).toEqual(user);
    } finally {
      await kit.close();
    }
  });

  test("the ORM closed under the kit: the next session lookup reconnects and answers", async () => {
    const kit = createAdapterKit({ database: db.url });
    try {
      const { user, sessionToken } = await signedIn(kit, "closed");
      await (await kit.container.get<OrmConnection>(TYPES.OrmConnection).get()).close(true);
      expect((await kit.authjs.getSessionAndUser(sessionToken))?.user).toEqual(user);
    } finally {
      await kit.close();
    }
  });

  test("an ORM with an onQuery hook still sees the hot reads", async () => {
    const seen: string[] = [];
    const kit = createAdapterKit({
      database: { driver: PostgreSqlDriver, clientUrl: db.url, onQuery: (sql: string) => (seen.push(sql), sql) },
    });
    try {
      const { user, sessionToken, account } = await signedIn(kit, "hooked");
      seen.length = 0;
      expect((await kit.authjs.getSessionAndUser(sessionToken))?.user).toEqual(user);
      expect(await kit.authjs.getUserByAccount(account)).toEqual(user);
      expect(seen.some((sql) => /from "sessions"/.test(sql) && /join "users"/.test(sql))).toBe(true);
      expect(seen.some((sql) => /from "users"/.test(sql) && /join "accounts"/.test(sql))).toBe(true);
    } finally {
      await kit.close();
    }
  });
});
