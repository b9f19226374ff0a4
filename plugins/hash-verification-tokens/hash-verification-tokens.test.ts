import { createHash, createHmac } from "node:crypto";
import { createAdapterKit, MemoryDatabase, MemoryVerificationTokenStore, Plugin, type AdapterKit, type OperationContext } from "../../src";
import { createTestDatabase, query, type TestDatabase } from "../../test/support/database";
import { SessionTokenHasher } from "../../src/kernel/sessionTokens";
import { hashVerificationTokens, HASH_PLUGIN_NAME } from ".";

const SECRET = "nextauth-secret";
const PEPPER = "server-side-pepper-0123456789abcdef0123";
const KIT_SECRET = "kit-secret-for-session-tokens-0123456789";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const hmac = (s: string) => createHmac("sha256", PEPPER).update(s).digest("hex");
const inAnHour = () => new Date(Date.now() + 3_600_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** Every text value stored in the kit's tables, read straight from PostgreSQL. */
async function everythingStored(): Promise<string> {
  const rows = await Promise.all(
    ["users", "accounts", "sessions", "verification_tokens"].map((t) => query(db.url, `select * from ${t}`)),
  );
  return JSON.stringify(rows);
}

async function withKit(options: Parameters<typeof createAdapterKit>[0], fn: (kit: AdapterKit) => Promise<void>) {
  const kit = createAdapterKit({ database: db.url, synchronize: true, ...options });
  try {
    await fn(kit);
  } finally {
    await kit.close();
  }
}

test("v3 facade (default): the stored token is sha256hex(token + secret), never the raw token", async () => {
  await withKit({}, async (kit) => {
    const v3 = await kit.legacy.getAdapter({ secret: SECRET });
    const raw = "v3-raw-token-0123456789";
    await v3.createVerificationRequest("a@example.com", `https://x/cb?token=${raw}`, raw, SECRET, { sendVerificationRequest: async () => undefined });
    const stored = await query<{ token: string }>(db.url, "select token from verification_tokens where identifier = 'a@example.com'");
    expect(stored).toEqual([{ token: sha256(raw + SECRET) }]);
    expect(await everythingStored()).not.toContain(raw);
    expect(await v3.getVerificationRequest("a@example.com", raw, SECRET)).not.toBeNull();
  });
});

test("Auth.js facade with a pepper: the core's hash is stored as an HMAC, and still matches once", async () => {
  await withKit({ plugins: [hashVerificationTokens({ pepper: PEPPER })] }, async (kit) => {
    const fromCore = sha256("emailed-token" + SECRET); // what @auth/core hands the adapter
    await kit.authjs.createVerificationToken({ identifier: "b@example.com", token: fromCore, expires: inAnHour() });
    const stored = await query<{ token: string }>(db.url, "select token from verification_tokens where identifier = 'b@example.com'");
    expect(stored).toEqual([{ token: hmac(fromCore) }]);
    expect(await everythingStored()).not.toContain(fromCore);
    expect(await kit.authjs.useVerificationToken({ identifier: "b@example.com", token: fromCore })).toMatchObject({ identifier: "b@example.com" });
    expect(await kit.authjs.useVerificationToken({ identifier: "b@example.com", token: fromCore })).toBeNull();
  });
});

test("the pepper never changes the v3 hash, so databases written by NextAuth v3 keep working", async () => {
  await withKit({ plugins: [hashVerificationTokens({ pepper: PEPPER })] }, async (kit) => {
    const raw = "v3-token-with-pepper-on";
    // A row exactly as NextAuth v3 wrote it.
    await query(db.url, "insert into verification_tokens (identifier, token, expires) values ($1, $2, $3)", ["c@example.com", sha256(raw + SECRET), inAnHour()]);
    const v3 = await kit.legacy.getAdapter({ secret: SECRET });
    expect(await v3.getVerificationRequest("c@example.com", raw, SECRET)).toMatchObject({ identifier: "c@example.com" });
  });
});

test("a pepper shorter than 32 bytes (or not a string) is CONFIGURATION, without its value; 32 bytes are enough", () => {
  for (const pepper of ["short-pepper", "", "p".repeat(31), 12345]) {
    let error: unknown;
    try {
      hashVerificationTokens({ pepper } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "CONFIGURATION", message: expect.stringContaining("at least 32 bytes") });
    expect((error as Error).message).not.toContain("short-pepper");
  }
  expect(hashVerificationTokens({ pepper: "p".repeat(32) }).operations).toHaveLength(4);
  // Multi-byte characters count in bytes: 11 three-byte characters are 33 bytes.
  expect(hashVerificationTokens({ pepper: "\u20ac".repeat(11) }).operations).toHaveLength(4);
});

test("session tokens are the kit's, not this plugin's: sessionTokens is refused, a pepper never touches them", async () => {
  expect(() => hashVerificationTokens({ sessionTokens: true } as never)).toThrow(expect.objectContaining({ code: "CONFIGURATION" }));
  await withKit({ secret: KIT_SECRET, plugins: [hashVerificationTokens({ pepper: PEPPER })] }, async (kit) => {
    const user = await kit.authjs.createUser({ email: "d@example.com", emailVerified: null });
    const raw = "session-token-raw-0123456789abcdef";
    expect(await kit.authjs.createSession({ sessionToken: raw, userId: user.id, expires: inAnHour() })).toMatchObject({ sessionToken: raw });
    // Hashed once, by the kit: the stored form is the kit's HMAC of the raw token, not of a pepper hash.
    const stored = await query<{ session_token: string }>(db.url, "select session_token from sessions where user_id = $1", [user.id]);
    expect(stored).toEqual([{ session_token: new SessionTokenHasher(KIT_SECRET).stored(raw) }]);
    expect((await kit.authjs.getSessionAndUser(raw))?.session.sessionToken).toBe(raw);
    const v3 = await kit.legacy.getAdapter({ secret: SECRET });
    const session = await v3.createSession(user);
    expect(await everythingStored()).not.toContain(session.sessionToken);
    expect(await v3.getSession(session.sessionToken)).toMatchObject({ sessionToken: session.sessionToken });
  });
});

test("the v3 facade without a secret is refused with a message saying what to set", async () => {
  await withKit({}, async (kit) => {
    const v3 = await kit.legacy.getAdapter({});
    await expect(v3.getVerificationRequest("e@example.com", "t", undefined)).rejects.toMatchObject({
      code: "CONFIGURATION",
      message: expect.stringContaining("secret"),
    });
  });
});

test("works as a decorated class registered through the container", async () => {
  @Plugin({ name: HASH_PLUGIN_NAME, operations: ["createVerificationToken", "useVerificationToken", "getVerificationToken", "deleteVerificationToken"], order: 900 })
  class PepperedTokens {
    private readonly inner = hashVerificationTokens({ pepper: PEPPER });
    around(ctx: OperationContext, next: () => Promise<unknown>) {
      return this.inner.around(ctx, next);
    }
  }
  const tables = new MemoryDatabase();
  const kit = createAdapterKit({ stores: "memory", bindStores: { verificationTokens: new MemoryVerificationTokenStore(tables) } });
  kit.use(PepperedTokens);
  await kit.authjs.createVerificationToken({ identifier: "f@example.com", token: "core-hash", expires: inAnHour() });
  // Stored once, under the HMAC: the default hashing plugin did not run a second time.
  expect([...tables.tokens.values()].map((row) => row.token)).toEqual([hmac("core-hash")]);
  expect(await kit.authjs.useVerificationToken({ identifier: "f@example.com", token: "core-hash" })).not.toBeNull();
});
