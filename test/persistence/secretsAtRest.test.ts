/**
 * Issue 11 on PostgreSQL, read from the raw rows: with the README's production settings no OAuth
 * token and no session token is stored in plaintext; the re-encryption job (interrupted, resumed,
 * skipping a locked row, counting a tampered one) and the session-token migration (read window,
 * one-off hashing job) leave every row in its protected form while every user stays signed in.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Client } from "pg";
import { encryptAccountTokens, hashVerificationTokens, type EncryptAccountTokensPlugin } from "../../plugins";
import { createAdapterKit, HASHED_SESSION_TOKEN_PREFIX, type AdapterAccount, type AdapterKit, type AdapterKitOptions } from "../../src";
import { query, type TestDatabase } from "../support/database";
import { createTestDatabaseWithSchema } from "../support/schemaDatabase";

const OLD = { id: "2026-06", key: randomBytes(32).toString("base64") };
const NEW = { id: "2026-12", key: randomBytes(32) };
const SECRET = randomBytes(32).toString("base64");
const inAnHour = () => new Date(Date.now() + 3_600_000);
const tag = () => randomBytes(6).toString("hex");

let db: TestDatabase;
const kits: AdapterKit[] = [];
beforeAll(async () => {
  db = await createTestDatabaseWithSchema();
});
afterEach(async () => {
  await Promise.all(kits.splice(0).map((k) => k.close()));
});
afterAll(() => db.drop());

function kitWith(options: Partial<AdapterKitOptions> = {}): AdapterKit {
  const kit = createAdapterKit({ database: db.url, secret: SECRET, ...options });
  kits.push(kit);
  return kit;
}

/** Every text value of every row of the kit's tables, straight from PostgreSQL. */
async function everythingStored(): Promise<string> {
  const rows = await Promise.all(["users", "accounts", "sessions", "verification_tokens"].map((t) => query(db.url, `select * from ${t}`)));
  return JSON.stringify(rows);
}

async function newAccount(kit: AdapterKit): Promise<AdapterAccount> {
  const t = tag();
  const user = await kit.authjs.createUser({ email: `u-${t}@example.com`, emailVerified: null });
  return { userId: user.id, type: "oauth", provider: "github", providerAccountId: `pa-${t}`, access_token: `gho_${t}`, refresh_token: `ghr_${t}`, id_token: `eyJ.${t}` };
}

test("with the production settings no OAuth token and no session token is stored in plaintext, on either facade", async () => {
  const kit = kitWith({ plugins: [encryptAccountTokens({ keys: [NEW] }), hashVerificationTokens({ pepper: "pepper-0123456789abcdef0123456789abcdef" })] });
  const account = await newAccount(kit);
  await kit.authjs.linkAccount(account);
  const sessionToken = randomUUID();
  await kit.authjs.createSession({ sessionToken, userId: account.userId, expires: inAnHour() });
  const v3 = await kit.legacy.getAdapter({ secret: "v3-secret" });
  const v3User = await v3.getUser(account.userId);
  const v3Session = await v3.createSession(v3User!);
  await v3.linkAccount(account.userId, "google", "oauth", `g-${tag()}`, `v3-refresh-${tag()}`, `v3-access-${tag()}`, inAnHour());
  const v3Tokens = (await query<{ refresh_token: string; access_token: string }>(db.url, "select refresh_token, access_token from accounts where provider = 'google'"))[0]!;

  const stored = await everythingStored();
  for (const secret of [account.access_token!, account.refresh_token!, account.id_token!, sessionToken, v3Session.sessionToken]) expect(stored).not.toContain(secret);
  expect(v3Tokens.access_token).toMatch(/^enc:v1:2026-12:/);
  const [row] = await query<{ session_token: string }>(db.url, "select session_token from sessions where user_id = $1 order by expires limit 1", [account.userId]);
  expect(row!.session_token.startsWith(HASHED_SESSION_TOKEN_PREFIX)).toBe(true);

  // Everything still reads back as the consumers wrote it.
  expect(await kit.authjs.getAccount!(account.providerAccountId, "github")).toMatchObject({ access_token: account.access_token });
  expect((await kit.authjs.getSessionAndUser(sessionToken))?.session.sessionToken).toBe(sessionToken);
  expect((await v3.getSession(v3Session.sessionToken))?.sessionToken).toBe(v3Session.sessionToken);
  // A stored value presented as a token is no session.
  expect(await kit.authjs.getSessionAndUser(row!.session_token)).toBeNull();
});

test("the re-encryption job, interrupted and resumed, leaves every row under the current key; a locked row is skipped, a tampered one counted", async () => {
  await query(db.url, "delete from accounts");
  const plain = kitWith(); // no plugin: rows as an app wrote them before encrypting
  const old = kitWith({ plugins: [encryptAccountTokens({ keys: [OLD] })] });
  const current = kitWith({ plugins: [encryptAccountTokens({ keys: [NEW] })] });
  const accounts: AdapterAccount[] = [];
  for (const [kit, n] of [[plain, 6], [old, 6], [current, 3]] as const) {
    for (let i = 0; i < n; i++) {
      const a = await newAccount(kit);
      await kit.authjs.linkAccount(a);
      accounts.push(a);
    }
  }
  // One row altered by hand: it must be reported, left alone, and never stop the job.
  const tampered = accounts[7]!;
  await query(db.url, "update accounts set access_token = overlay(access_token placing 'AAAA' from 30 for 4) where provider_account_id = $1", [tampered.providerAccountId]);

  // Another transaction holds one plaintext row: the job skips it instead of waiting.
  const locked = accounts[2]!;
  const holder = new Client({ connectionString: db.url });
  await holder.connect();
  await holder.query("begin");
  await holder.query("select 1 from accounts where provider_account_id = $1 for update", [locked.providerAccountId]);

  const plugin: EncryptAccountTokensPlugin = encryptAccountTokens({ keys: [NEW, OLD] });
  const job = kitWith({ plugins: [plugin] });
  const stop = new AbortController();
  const progress: unknown[] = [];
  const first = await job.reencryptAccountTokens(plugin, {
    batchSize: 4,
    signal: stop.signal,
    onBatch: (p) => {
      progress.push(p.next);
      if (progress.length === 2) stop.abort(); // the process is stopped after two batches
    },
  });
  expect(first.done).toBe(false);
  expect(first.scanned).toBe(8);
  expect(first.next).toBe(progress[1]);
  // `next` as reported (RowCursor | null), as the README's snippet passes it.
  const second = await job.reencryptAccountTokens(plugin, { batchSize: 4, after: first.next });
  expect(second.done).toBe(true);
  await holder.query("rollback");
  await holder.end();

  const sum = (k: "scanned" | "rewritten" | "plaintextEncrypted" | "alreadyCurrent" | "failed") => first[k] + second[k];
  expect(sum("scanned")).toBe(14); // 15 rows, one held by another transaction
  expect(sum("plaintextEncrypted")).toBe(5);
  expect(sum("rewritten")).toBe(5);
  expect(sum("alreadyCurrent")).toBe(3);
  expect(sum("failed")).toBe(1);
  const failures = [...first.failures, ...second.failures];
  expect(failures).toEqual([{ id: expect.any(String), provider: "github", field: "access_token", reason: "authentication" }]);
  expect(JSON.stringify([first, second])).not.toContain("gho_");

  // A second run picks up the row that was locked; nothing else is left to do.
  // `after: null` (what a run that read no row reports as `next`) starts from the first row.
  const again = await job.reencryptAccountTokens(plugin, { batchSize: 100, after: null });
  expect(again).toMatchObject({ scanned: 15, plaintextEncrypted: 1, rewritten: 0, alreadyCurrent: 13, failed: 1, done: true });

  const rows = await query<{ provider_account_id: string; access_token: string; refresh_token: string; id_token: string }>(db.url, "select * from accounts");
  for (const row of rows) {
    if (row.provider_account_id === tampered.providerAccountId) continue; // left exactly as it was
    for (const value of [row.access_token, row.refresh_token, row.id_token]) expect(value).toMatch(/^enc:v1:2026-12:/);
  }
  // The old key can go: every row but the tampered one reads with the new key alone.
  const newOnly = kitWith({ plugins: [encryptAccountTokens({ keys: [NEW] })] });
  for (const a of accounts) {
    if (a === tampered) continue;
    expect(await newOnly.authjs.getAccount!(a.providerAccountId, a.provider)).toMatchObject({ access_token: a.access_token, refresh_token: a.refresh_token, id_token: a.id_token });
  }
});

test("session tokens stored raw keep working during the window, are hashed by the one-off job (interrupted, resumed), and the window then closes", async () => {
  await query(db.url, "delete from sessions");
  const before = kitWith({ sessionTokens: "raw" }); // a database written before hashing was on
  const user = await before.authjs.createUser({ email: `w-${tag()}@example.com`, emailVerified: null });
  const tokens = Array.from({ length: 7 }, () => randomUUID());
  for (const sessionToken of tokens) await before.authjs.createSession({ sessionToken, userId: user.id, expires: inAnHour() });

  const strict = kitWith();
  expect(await strict.authjs.getSessionAndUser(tokens[0]!)).toBeNull(); // hashed lookups do not find raw rows

  const window = kitWith({ acceptRawSessionTokens: true });
  expect((await window.authjs.getSessionAndUser(tokens[0]!))?.user.id).toBe(user.id);
  expect(await window.authjs.updateSession({ sessionToken: tokens[1]!, expires: inAnHour() })).toMatchObject({ sessionToken: tokens[1] });
  const fresh = randomUUID();
  await window.authjs.createSession({ sessionToken: fresh, userId: user.id, expires: inAnHour() }); // new sessions: hashed
  const [freshRow] = await query<{ session_token: string }>(db.url, "select session_token from sessions where session_token like 'h1:%'");
  // During the window, a stored value presented as a token is still no session.
  expect(await window.authjs.getSessionAndUser(freshRow!.session_token)).toBeNull();

  const stop = new AbortController();
  const first = await window.hashSessionTokens({ batchSize: 3, signal: stop.signal, onBatch: () => stop.abort() });
  expect(first).toMatchObject({ done: false, scanned: 3 });
  const rest = await window.hashSessionTokens({ batchSize: 3, after: first.next! });
  expect(rest.done).toBe(true);
  expect(first.hashed + rest.hashed).toBe(7);
  expect(first.alreadyHashed + rest.alreadyHashed).toBe(1);

  const stored = await query<{ session_token: string }>(db.url, "select session_token from sessions");
  expect(stored).toHaveLength(8);
  for (const { session_token } of stored) expect(session_token.startsWith(HASHED_SESSION_TOKEN_PREFIX)).toBe(true);
  expect(JSON.stringify(stored)).not.toMatch(new RegExp([...tokens, fresh].join("|")));
  // Window closed: every user is still signed in, with the same cookie.
  for (const sessionToken of [...tokens, fresh]) expect((await strict.authjs.getSessionAndUser(sessionToken))?.session.sessionToken).toBe(sessionToken);
  expect(await strict.authjs.deleteSession(tokens[2]!)).toMatchObject({ sessionToken: tokens[2] });
});

describe("where the session-token key comes from", () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  test("production without a secret is a CONFIGURATION error saying what to set; raw needs saying so", () => {
    process.env.NODE_ENV = "production";
    delete process.env.AUTH_SECRET;
    delete process.env.NEXTAUTH_SECRET;
    expect(() => createAdapterKit({ database: db.url })).toThrow(expect.objectContaining({ code: "CONFIGURATION", message: expect.stringContaining("AUTH_SECRET") }));
    kits.push(createAdapterKit({ database: db.url, sessionTokens: "raw" }));
    process.env.AUTH_SECRET = SECRET;
    kits.push(createAdapterKit({ database: db.url }));
  });

  test("a short secret is refused without echoing it", () => {
    const short = "short-secret-value";
    let message = "";
    try {
      createAdapterKit({ database: db.url, secret: short });
    } catch (error) {
      message = String((error as Error).message);
      expect(error).toMatchObject({ code: "CONFIGURATION" });
    }
    expect(message).toContain("32 bytes");
    expect(message).not.toContain(short);
  });

  test("AUTH_SECRET is the default key: two kits on it read each other's sessions, a kit with another key does not", async () => {
    process.env.AUTH_SECRET = SECRET;
    const a = kitWith({ secret: undefined });
    const user = await a.authjs.createUser({ email: `k-${tag()}@example.com`, emailVerified: null });
    const sessionToken = randomUUID();
    await a.authjs.createSession({ sessionToken, userId: user.id, expires: inAnHour() });
    expect((await kitWith({ secret: SECRET }).authjs.getSessionAndUser(sessionToken))?.user.id).toBe(user.id);
    expect(await kitWith({ secret: randomBytes(32) }).authjs.getSessionAndUser(sessionToken)).toBeNull();
  });
});

test("SQLite: the re-encryption job runs in plain batches", async () => {
  const kit = createAdapterKit({ database: "memory", secret: SECRET });
  kits.push(kit);
  for (let i = 0; i < 5; i++) await kit.authjs.linkAccount(await newAccount(kit));
  const plugin = encryptAccountTokens({ keys: [NEW], allowPlaintext: true });
  kit.use(plugin);
  expect(await kit.reencryptAccountTokens(plugin, { batchSize: 2 })).toMatchObject({ scanned: 5, plaintextEncrypted: 5, failed: 0, done: true });
  expect(await kit.reencryptAccountTokens(plugin, { batchSize: 2 })).toMatchObject({ scanned: 5, alreadyCurrent: 5, done: true });
});
