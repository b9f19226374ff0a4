/**
 * Issue 11 on the MySQL family (the MariaDB server, both drivers): the rewrite batches of the seam
 * (`lockBatch`: `FOR UPDATE SKIP LOCKED` where the server has it) re-encrypt account tokens and hash
 * raw session tokens, resumably; the raw rows then hold neither.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { encryptAccountTokens } from "../../plugins";
import { createAdapterKit, HASHED_SESSION_TOKEN_PREFIX, type AdapterKit } from "../../src";
import { createTestMariaDb, mariaQuery, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";

const SECRET = randomBytes(32).toString("base64");
const KEY = { id: "k1", key: randomBytes(32) };
const inAnHour = () => new Date(Date.now() + 3_600_000);

describe.each(MYSQL_DRIVERS)("secrets at rest through the $name driver", ({ url }) => {
  let db: TestMariaDb;
  const kits: AdapterKit[] = [];
  const kit = (options: Parameters<typeof createAdapterKit>[0] = {}) => {
    const k = createAdapterKit({ database: url(db), secret: SECRET, ...options });
    kits.push(k);
    return k;
  };
  beforeAll(async () => {
    db = await createTestMariaDb();
    await kit({ synchronize: true }).synchronize();
  });
  afterAll(async () => {
    await Promise.all(kits.map((k) => k.close()));
    await db.drop();
  });

  test("plaintext accounts and raw sessions are rewritten in resumable batches; every user still signs in", async () => {
    const before = kit({ sessionTokens: "raw" });
    const user = await before.authjs.createUser({ email: `m-${randomUUID()}@example.com`, emailVerified: null });
    const secrets: string[] = [];
    const tokens: string[] = [];
    for (let i = 0; i < 5; i++) {
      const access = `gho_${randomBytes(8).toString("hex")}`;
      secrets.push(access);
      await before.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: `m-${i}-${randomUUID()}`, access_token: access });
      const sessionToken = randomUUID();
      tokens.push(sessionToken);
      await before.authjs.createSession({ sessionToken, userId: user.id, expires: inAnHour() });
    }

    const plugin = encryptAccountTokens({ keys: [KEY], allowPlaintext: true });
    const after = kit({ acceptRawSessionTokens: true, plugins: [plugin] });
    const stop = new AbortController();
    const first = await after.reencryptAccountTokens(plugin, { batchSize: 2, signal: stop.signal, onBatch: () => stop.abort() });
    expect(first).toMatchObject({ scanned: 2, plaintextEncrypted: 2, done: false });
    const rest = await after.reencryptAccountTokens(plugin, { batchSize: 2, after: first.next! });
    expect(rest).toMatchObject({ scanned: 3, plaintextEncrypted: 3, failed: 0, done: true });
    expect(await after.hashSessionTokens({ batchSize: 2 })).toMatchObject({ scanned: 5, hashed: 5, done: true });

    const rows = JSON.stringify(await mariaQuery(url(db), "select a.access_token, s.session_token from accounts a join sessions s on s.user_id = a.user_id"));
    for (const value of [...secrets, ...tokens]) expect(rows).not.toContain(value);
    const stored = await mariaQuery<{ session_token: string }>(url(db), "select session_token from sessions");
    for (const { session_token } of stored) expect(session_token.startsWith(HASHED_SESSION_TOKEN_PREFIX)).toBe(true);

    const strict = kit({ plugins: [encryptAccountTokens({ keys: [KEY] })] });
    for (const sessionToken of tokens) expect((await strict.authjs.getSessionAndUser(sessionToken))?.user.id).toBe(user.id);
  });
});
