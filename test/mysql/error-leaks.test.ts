import { createAdapterKit, type AdapterKit } from "../../src";
import { authjsConflictsLeakNothing, refusal, secret, secretEmail } from "../support/leakChecks";
import { createTestMariaDb, mariaQuery, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";

/**
 * No value a caller passed reaches an error on MariaDB, through either driver: not its message,
 * `util.inspect(err, {depth: Infinity})`, `JSON.stringify(err)`, pino's `err` serializer or the
 * `cause` chain; and the server's processlist shows the kit's statements with placeholders only.
 */
const email = secretEmail;
const inAMinute = () => new Date(Date.now() + 60_000);

let db: TestMariaDb;
beforeAll(async () => {
  db = await createTestMariaDb();
  const setup = createAdapterKit({ database: db.mariadbUrl });
  await setup.synchronize();
  await setup.close();
  // The app's own rule on its tables: rows starting "deny-" are refused (errno 4025, a CHECK constraint).
  await mariaQuery(db.mysqlUrl, "alter table sessions add constraint sessions_deny check (session_token not like 'deny-%')");
});
afterAll(() => db.drop());

describe.each(MYSQL_DRIVERS)("error leaks on MariaDB, $name driver", ({ url }) => {
  let kit: AdapterKit;
  let userId: string;
  beforeAll(async () => {
    // Raw session tokens: these checks need the value itself to reach the database (hashed, the default, it never does).
    kit = createAdapterKit({ database: url(db), sessionTokens: "raw" });
    userId = (await kit.authjs.createUser({ email: email(), emailVerified: null })).id;
  });
  afterAll(() => kit.close());

  test("CONFLICT, DATABASE_ERROR and INVALID_INPUT from the database, on both facades: nothing the caller passed in any rendering", async () => {
    const a = kit.authjs;
    const v3 = await kit.legacy.getAdapter({ secret: "leak-secret", session: { maxAge: 60 } });
    const { mail, providerAccountId } = await authjsConflictsLeakNothing(a, userId);
    await refusal(() => v3.createUser({ name: "v3", email: mail, image: null }), "CONFLICT", [mail]);
    const [refresh, access] = [secret("v3r"), secret("v3a")];
    await refusal(() => v3.linkAccount(userId, "github", "oauth", providerAccountId, refresh, access, null), "CONFLICT", [refresh, access]);

    const denied = `deny-${secret("session")}`;
    const error = await refusal(() => a.createSession({ sessionToken: denied, userId, expires: inAMinute() }), "DATABASE_ERROR", [denied]);
    expect(error.cause).toMatchObject({ kind: "other", errno: 4025 });

    const long = { identifier: `${secret("id")}-${"y".repeat(400)}@example.com`, token: secret("vt"), expires: inAMinute() };
    await refusal(() => a.createVerificationToken!(long), "INVALID_INPUT", [long.token, long.identifier.slice(0, 40)]);
  });

  test("under a burst, the processlist shows the kit's statements with placeholders only", async () => {
    const tokens: string[] = [];
    const seen: string[] = [];
    // Bursts until the sampler has caught statements in flight (statements take well under a millisecond).
    for (let burst = 0; burst < 20 && seen.length < 3; burst++) {
      const batch = Array.from({ length: 40 }, () => secret("burst"));
      tokens.push(...batch);
      let running = true;
      const sampler = (async () => {
        while (running) {
          const rows = await mariaQuery<{ info: string | null }>(db.mysqlUrl, "select info from information_schema.processlist where db = ? and id <> connection_id()", [db.name]);
          seen.push(...rows.map((r) => r.info ?? "").filter((info) => /`(sessions|users)`/.test(info)));
        }
      })();
      await Promise.all(batch.map((t) => kit.authjs.createSession({ sessionToken: t, userId, expires: inAMinute() }).then(() => kit.authjs.getSessionAndUser(t))));
      running = false;
      await sampler;
    }
    expect(seen.length).toBeGreaterThan(0);
    for (const statement of seen) {
      expect(statement).toMatch(/\?/);
      for (const t of tokens) expect(statement).not.toContain(t);
    }
  });
});
