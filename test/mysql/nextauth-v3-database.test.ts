import { createHash, randomBytes } from "node:crypto";
import { createAdapterKit, createEntities, nextAuthV3Entities, type AdapterKit, type LegacyMethods } from "../../src";
import { authjsRoundTrip } from "../support/authjsRoundTrip";
import { createTestMariaDb, mariaQuery, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";

/**
 * The tables NextAuth v3's default TypeORM adapter created on MySQL/MariaDB (its mysql transform:
 * SnakeCaseNamingStrategy, `timestamp(6)`, `varchar(255)`, unique indexes named IDX_ + 26 hex
 * digits). The last test checks this against the tables v3's own adapter creates.
 */
const V3_SCHEMA = [
  `CREATE TABLE \`users\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(255) NULL, \`email\` varchar(255) NULL, \`email_verified\` timestamp(6) NULL,
    \`image\` varchar(255) NULL, \`created_at\` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    \`updated_at\` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    UNIQUE INDEX \`IDX_97672ac88f789774dd47f7c8be\` (\`email\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
  `CREATE TABLE \`accounts\` (\`id\` int NOT NULL AUTO_INCREMENT, \`compound_id\` varchar(255) NOT NULL, \`user_id\` int NOT NULL, \`provider_type\` varchar(255) NOT NULL,
    \`provider_id\` varchar(255) NOT NULL, \`provider_account_id\` varchar(255) NOT NULL, \`refresh_token\` text NULL, \`access_token\` text NULL,
    \`access_token_expires\` timestamp(6) NULL, \`created_at\` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    \`updated_at\` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    INDEX \`userId\` (\`user_id\`), INDEX \`providerId\` (\`provider_id\`), INDEX \`providerAccountId\` (\`provider_account_id\`),
    UNIQUE INDEX \`IDX_95843cea26fc65b1a9d9b6e1d2\` (\`compound_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
  `CREATE TABLE \`sessions\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`expires\` timestamp(6) NOT NULL, \`session_token\` varchar(255) NOT NULL,
    \`access_token\` varchar(255) NOT NULL, \`created_at\` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    \`updated_at\` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    UNIQUE INDEX \`IDX_f10db2949bbea55b44f31108e1\` (\`session_token\`), UNIQUE INDEX \`IDX_b02a7acc05fe8194bed8433cf2\` (\`access_token\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
  `CREATE TABLE \`verification_requests\` (\`id\` int NOT NULL AUTO_INCREMENT, \`identifier\` varchar(255) NOT NULL, \`token\` varchar(255) NOT NULL,
    \`expires\` timestamp(6) NOT NULL, \`created_at\` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    \`updated_at\` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    UNIQUE INDEX \`IDX_77287cef70a4627091ae6d19c4\` (\`token\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
];

const SECRET = "v3-secret";
const DAY_MS = 86_400_000;
const appOptions = { secret: SECRET, baseUrl: "https://app.example", session: { maxAge: 30 * 24 * 60 * 60, updateAge: 24 * 60 * 60 } };
const sha256hex = (s: string) => createHash("sha256").update(s).digest("hex");
const hex32 = () => randomBytes(32).toString("hex");
const at = (offsetMs: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + offsetMs + 456);

/** What a table looks like to the server: columns, types, defaults, extras and indexes. */
async function shape(url: string, except: string[] = []) {
  const skip = ["typeorm_metadata", ...except];
  const columns = await mariaQuery(
    url,
    `select table_name, column_name, column_type, is_nullable, column_default, extra from information_schema.columns
     where table_schema = database() and table_name not in (?) order by 1, 2`,
    [skip],
  );
  const indexes = await mariaQuery(
    url,
    `select table_name, index_name, column_name, non_unique from information_schema.statistics
     where table_schema = database() and table_name not in (?) order by 1, 2, 3`,
    [skip],
  );
  return { columns, indexes };
}

describe.each(MYSQL_DRIVERS)("a NextAuth v3 database on MariaDB, $name driver", ({ url }) => {
  let db: TestMariaDb;
  let kit: AdapterKit;
  let v3: LegacyMethods;
  let original: LegacyMethods;
  let closeTypeorm: () => Promise<void>;

  beforeAll(async () => {
    db = await createTestMariaDb();
    // next-auth@3's default adapter, creating its tables itself (TypeORM's synchronize) and writing as v3 did.
    const Adapters = require("next-auth-v3/adapters").default;
    const v3Adapter = Adapters.TypeORM.Adapter(`${db.mysqlUrl}?synchronize=true`);
    original = await v3Adapter.getAdapter({ ...appOptions, logger: { error: () => undefined, debug: () => undefined } });
    closeTypeorm = () => require("typeorm").getConnection("nextauth").close();
    kit = createAdapterKit({ database: url(db), entities: nextAuthV3Entities({ dialect: "mysql" }) });
    v3 = await kit.legacy.getAdapter(appOptions);
  });
  afterAll(async () => {
    await kit.close();
    await closeTypeorm();
    await db.drop();
  });

  test("the tables v3 creates are the ones the SQL above describes", async () => {
    const reference = await createTestMariaDb();
    try {
      for (const sql of V3_SCHEMA) await mariaQuery(reference.mysqlUrl, sql);
      expect(await shape(db.mysqlUrl)).toEqual(await shape(reference.mysqlUrl));
    } finally {
      await reference.drop();
    }
  });

  test("what v3 wrote, the kit reads; what the kit writes, v3 reads", async () => {
    const v3User = (await original.createUser({ name: "Old", email: "old@example.com", image: null, emailVerified: true })) as unknown as { id: number };
    await original.linkAccount(v3User.id, "github", "oauth", 777, "r", "a", at(3_600_000));
    const v3Session = await original.createSession(v3User as never);
    const provider = { maxAge: 60, sendVerificationRequest: async () => undefined };
    await original.createVerificationRequest("old@example.com", "https://x", "raw-v3", SECRET, provider);

    expect(await v3.getSession(v3Session.sessionToken)).toEqual({
      userId: String(v3User.id),
      sessionToken: v3Session.sessionToken,
      accessToken: v3Session.accessToken,
      expires: v3Session.expires,
    });
    expect(await kit.authjs.getUserByAccount({ provider: "github", providerAccountId: "777" })).toMatchObject({ id: String(v3User.id), email: "old@example.com" });
    expect(await v3.getVerificationRequest("old@example.com", "raw-v3", SECRET, provider)).toMatchObject({ identifier: "old@example.com" });
    expect(await v3.getVerificationRequest("old@example.com", "raw-v3", SECRET, provider)).toBeNull(); // used once

    const user = await kit.authjs.createUser({ email: `new-${hex32().slice(0, 8)}@example.com`, emailVerified: null, name: "New" });
    expect(user.id).toMatch(/^[0-9]+$/);
    const providerAccountId = hex32().slice(0, 10);
    await kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "gitlab", providerAccountId, access_token: "t", expires_at: 1_900_000_000 });
    const authjsSession = await kit.authjs.createSession({ sessionToken: hex32(), userId: user.id, expires: at(DAY_MS) });
    const legacySession = await v3.createSession({ id: user.id });

    expect(await original.getUser(Number(user.id))).toMatchObject({ id: Number(user.id), email: user.email });
    expect(await original.getUserByProviderAccountId("gitlab", providerAccountId)).toMatchObject({ id: Number(user.id) });
    expect(await original.getSession(authjsSession.sessionToken)).toMatchObject({ userId: Number(user.id), expires: authjsSession.expires });
    expect(await original.getSession(legacySession.sessionToken)).toMatchObject({ userId: Number(user.id), accessToken: legacySession.accessToken });
    const [row] = await mariaQuery<{ compound_id: string; access_token_expires: string }>(
      db.mysqlUrl,
      "select compound_id, cast(access_token_expires as char) as access_token_expires from accounts where provider_account_id = ?",
      [providerAccountId],
    );
    expect(row).toEqual({ compound_id: sha256hex(`gitlab:${providerAccountId}`), access_token_expires: "2030-03-17 17:46:40.000000" });
  });

  test("synchronize only adds the authenticators table; then the Auth.js contract, passkeys and purge work on v3's tables", async () => {
    const before = await shape(db.mysqlUrl, ["authenticators"]);
    await kit.synchronize();
    expect(await shape(db.mysqlUrl, ["authenticators"])).toEqual(before);
    await authjsRoundTrip(kit.authjs);

    await mariaQuery(db.mysqlUrl, "insert into sessions (user_id, expires, session_token, access_token) select 1, now() - interval 1 day, concat('old-', seq), concat('old-at-', seq) from seq_1_to_120");
    expect(await kit.purgeExpired({ batchSize: 50 })).toMatchObject({ sessions: 120, skipped: [] });
  });
});

describe.each(MYSQL_DRIVERS)("custom tables on MariaDB, $name driver", ({ url }) => {
  test("renamed tables and an extra column round-trip through the operations", async () => {
    const db = await createTestMariaDb();
    const entities = createEntities({ tables: { user: "app_users", session: "app_sessions" }, properties: { user: { role: { type: "string", nullable: true } } } });
    const kit = createAdapterKit({ database: url(db), entities, synchronize: true });
    try {
      const user = await kit.authjs.createUser({ email: "role@example.com", emailVerified: null, role: "admin" } as never);
      const sessionToken = hex32();
      await kit.authjs.createSession({ sessionToken, userId: user.id, expires: at(DAY_MS) });
      expect(await kit.authjs.getSessionAndUser(sessionToken)).toMatchObject({ user: { id: user.id, role: "admin" } });
      expect(await mariaQuery(db.mysqlUrl, "select role from app_users where id = ?", [user.id])).toEqual([{ role: "admin" }]);
      await authjsRoundTrip(kit.authjs);
    } finally {
      await kit.close();
      await db.drop();
    }
  });
});
