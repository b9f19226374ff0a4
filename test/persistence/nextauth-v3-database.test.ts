import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createAdapterKit, nextAuthV3Entities, type AdapterKit, type LegacyEmailProvider, type LegacyMethods } from "../../src";
import { authjsRoundTrip } from "../support/authjsRoundTrip";
import { createTestDatabase, query, type TestDatabase } from "../support/database";

/**
 * The tables NextAuth v3's default TypeORM adapter created on PostgreSQL (SnakeCaseNamingStrategy,
 * timestamps as timestamptz, TypeORM's constraint names). The last describe block checks this
 * against the tables v3's own adapter creates.
 */
const V3_SCHEMA = `
CREATE TABLE "users" ("id" SERIAL NOT NULL, "name" character varying, "email" character varying, "email_verified" TIMESTAMP WITH TIME ZONE, "image" character varying,
  "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"));
CREATE TABLE "accounts" ("id" SERIAL NOT NULL, "compound_id" character varying NOT NULL, "user_id" integer NOT NULL, "provider_type" character varying NOT NULL,
  "provider_id" character varying NOT NULL, "provider_account_id" character varying NOT NULL, "refresh_token" text, "access_token" text,
  "access_token_expires" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  CONSTRAINT "UQ_95843cea26fc65b1a9d9b6e1d2b" UNIQUE ("compound_id"), CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id"));
CREATE INDEX "userId" ON "accounts" ("user_id");
CREATE INDEX "providerId" ON "accounts" ("provider_id");
CREATE INDEX "providerAccountId" ON "accounts" ("provider_account_id");
CREATE TABLE "sessions" ("id" SERIAL NOT NULL, "user_id" integer NOT NULL, "expires" TIMESTAMP WITH TIME ZONE NOT NULL, "session_token" character varying NOT NULL,
  "access_token" character varying NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  CONSTRAINT "UQ_f10db2949bbea55b44f31108e1a" UNIQUE ("session_token"), CONSTRAINT "UQ_b02a7acc05fe8194bed8433cf25" UNIQUE ("access_token"),
  CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"));
CREATE TABLE "verification_requests" ("id" SERIAL NOT NULL, "identifier" character varying NOT NULL, "token" character varying NOT NULL,
  "expires" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  CONSTRAINT "UQ_77287cef70a4627091ae6d19c4d" UNIQUE ("token"), CONSTRAINT "PK_c5d405ea25e8abd5b0b096a4f6f" PRIMARY KEY ("id"));
`;

const SECRET = "v3-secret";
const DAY_MS = 24 * 60 * 60 * 1000;
const appOptions = { secret: SECRET, baseUrl: "https://app.example", session: { maxAge: 30 * 24 * 60 * 60, updateAge: 24 * 60 * 60 } };
const sha256hex = (s: string) => createHash("sha256").update(s).digest("hex");
const hex32 = () => randomBytes(32).toString("hex");
const at = (offsetMs: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + offsetMs + 456);

function emailProvider(): LegacyEmailProvider & { sent: string[] } {
  const sent: string[] = [];
  return { id: "email", type: "email", maxAge: 24 * 60 * 60, sent, async sendVerificationRequest({ token }) { sent.push(token); } };
}

/** What v3 wrote before the upgrade: a user with a GitHub account, a live and an expired session, a pending link. */
const v3Rows = {
  email: "ada@example.com",
  verified: at(-30 * DAY_MS),
  sessionToken: hex32(),
  accessToken: hex32(),
  expires: at(20 * DAY_MS),
  expiredToken: hex32(),
  rawEmailToken: hex32(),
  emailTokenExpires: at(DAY_MS),
  tokenExpiresAt: at(3_600_000),
};

async function writeAsV3(url: string): Promise<void> {
  const r = v3Rows;
  await query(url, "insert into users (name, email, email_verified, image) values ('Ada', $1, $2, null)", [r.email, r.verified]);
  await query(
    url,
    `insert into accounts (compound_id, user_id, provider_type, provider_id, provider_account_id, refresh_token, access_token, access_token_expires)
     values ($1, 1, 'oauth', 'github', '12345', 'gh-refresh', 'gh-access', $2)`,
    [sha256hex("github:12345"), r.tokenExpiresAt],
  );
  await query(url, "insert into sessions (user_id, expires, session_token, access_token) values (1, $1, $2, $3), (1, $4, $5, $6)", [
    r.expires, r.sessionToken, r.accessToken, at(-DAY_MS), r.expiredToken, hex32(),
  ]);
  await query(url, "insert into verification_requests (identifier, token, expires) values ($1, $2, $3)", [r.email, sha256hex(r.rawEmailToken + SECRET), r.emailTokenExpires]);
}

describe("a NextAuth v3 database: tables as TypeORM created them, rows as v3 wrote them", () => {
  let db: TestDatabase;
  let kit: AdapterKit;
  let v3: LegacyMethods;

  beforeAll(async () => {
    db = await createTestDatabase();
    await query(db.url, V3_SCHEMA);
    await writeAsV3(db.url);
    kit = createAdapterKit({ database: db.url, entities: nextAuthV3Entities() });
    v3 = await kit.legacy.getAdapter(appOptions);
  });
  afterAll(async () => {
    await kit.close();
    await db.drop();
  });

  test("kit.legacy: the signed-in user keeps the session; the linked account finds the user", async () => {
    const r = v3Rows;
    expect(await v3.getSession(r.sessionToken)).toEqual({ sessionToken: r.sessionToken, accessToken: r.accessToken, userId: "1", expires: r.expires });
    const user = { id: "1", name: "Ada", email: r.email, emailVerified: r.verified, image: null };
    expect(await v3.getUser(1)).toEqual(user);
    expect(await v3.getUser("1")).toEqual(user);
    expect(await v3.getUserByProviderAccountId("github", 12345)).toEqual(user);
    expect(await v3.getUser("not-a-number")).toBeNull();
  });

  test("kit.legacy: an expired v3 session is refused and deleted", async () => {
    expect(await v3.getSession(v3Rows.expiredToken)).toBeNull();
    expect(await query(db.url, "select id from sessions where session_token = $1", [v3Rows.expiredToken])).toEqual([]);
  });

  test("kit.authjs: getSessionAndUser returns the v3 session and user with string ids; the account maps to Auth.js fields", async () => {
    const r = v3Rows;
    const found = await kit.authjs.getSessionAndUser(r.sessionToken);
    expect(found).toEqual({
      session: { sessionToken: r.sessionToken, accessToken: r.accessToken, userId: "1", expires: r.expires },
      user: { id: "1", name: "Ada", email: r.email, emailVerified: r.verified, image: null },
    });
    expect(await kit.authjs.getAccount("12345", "github")).toEqual({
      userId: "1",
      type: "oauth",
      provider: "github",
      providerAccountId: "12345",
      refresh_token: "gh-refresh",
      access_token: "gh-access",
      expires_at: Math.floor(r.tokenExpiresAt.getTime() / 1000),
    });
  });

  test("kit.legacy: the pending e-mail link v3 stored (hashed with the secret) signs in once", async () => {
    const r = v3Rows;
    const token = sha256hex(r.rawEmailToken + SECRET);
    const stored = { id: token, identifier: r.email, token, expires: r.emailTokenExpires };
    expect(await v3.getVerificationRequest(r.email, r.rawEmailToken, SECRET, emailProvider())).toEqual(stored);
    expect(await v3.getVerificationRequest(r.email, r.rawEmailToken, SECRET, emailProvider())).toBeNull(); // claimed
    expect(await query(db.url, "select id from verification_requests")).toEqual([]);
  });

  test("a new sign-in through kit.authjs writes rows v3 can read: serial ids, compound_id, access_token, timestamps", async () => {
    // @auth/core hands createUser a UUID: an integer-keyed table ignores it and the database assigns the id.
    const user = await kit.authjs.createUser({ id: randomUUID(), email: "grace@example.com", emailVerified: at(0), name: "Grace" } as never);
    expect(user.id).toMatch(/^[0-9]+$/);
    const account = { userId: user.id, type: "oidc" as const, provider: "google", providerAccountId: "g-42", access_token: "g-access", expires_at: 1_900_000_000 };
    expect(await kit.authjs.linkAccount(account)).toEqual(account);
    const sessionToken = hex32();
    const expires = at(DAY_MS);
    expect(await kit.authjs.createSession({ sessionToken, userId: user.id, expires })).toMatchObject({ sessionToken, userId: user.id, expires });

    const [userRow] = await query(db.url, "select id, email, created_at, updated_at from users where email = 'grace@example.com'");
    expect(userRow).toMatchObject({ id: Number(user.id), created_at: expect.any(Date), updated_at: expect.any(Date) });
    const [accountRow] = await query(db.url, "select * from accounts where provider_account_id = 'g-42'");
    expect(accountRow).toMatchObject({
      compound_id: sha256hex("google:g-42"),
      user_id: Number(user.id),
      provider_type: "oidc",
      provider_id: "google",
      access_token: "g-access",
      access_token_expires: new Date(1_900_000_000 * 1000),
      created_at: expect.any(Date),
    });
    const [sessionRow] = await query(db.url, "select * from sessions where session_token = $1", [sessionToken]);
    expect(sessionRow).toMatchObject({ user_id: Number(user.id), expires, access_token: expect.stringMatching(/^[0-9a-f]{64}$/), created_at: expect.any(Date) });

    // updateUser refreshes updated_at, as TypeORM's @UpdateDateColumn did.
    await query(db.url, "update users set updated_at = '2020-01-01T00:00:00Z' where id = $1", [Number(user.id)]);
    await kit.authjs.updateUser({ id: user.id, name: "Grace Hopper" });
    const [updated] = await query<{ updated_at: Date }>(db.url, "select updated_at from users where id = $1", [Number(user.id)]);
    expect(updated!.updated_at.getTime()).toBeGreaterThan(new Date("2020-01-02").getTime());
  });

  test("a new sign-in through kit.legacy (v3's e-mail flow) stores what v3 stored", async () => {
    const provider = emailProvider();
    const identifier = "linus@example.com";
    const raw = hex32();
    await v3.createVerificationRequest(identifier, `https://app.example/api/auth/callback/email?token=${raw}`, raw, SECRET, provider);
    expect(provider.sent).toEqual([raw]);
    expect(await query(db.url, "select token from verification_requests where identifier = $1", [identifier])).toEqual([{ token: sha256hex(raw + SECRET) }]);
    expect(await v3.getVerificationRequest(identifier, raw, SECRET, provider)).toMatchObject({ identifier });

    const user = await v3.createUser({ name: null, email: identifier, image: null, emailVerified: true });
    const session = await v3.createSession(user);
    expect(await v3.getSession(session.sessionToken)).toEqual(session);
    expect(await query(db.url, "select user_id, access_token from sessions where session_token = $1", [session.sessionToken])).toEqual([
      { user_id: Number(user.id), access_token: session.accessToken },
    ]);
  });

  test("the Auth.js contract holds on the v3 tables (no authenticators table: deleteUser still works)", async () => {
    await authjsRoundTrip(kit.authjs, { authenticators: false });
  });

  test("purgeExpired works on the v3 tables (serial keys)", async () => {
    await query(db.url, "insert into sessions (user_id, expires, session_token, access_token) select 1, now() - interval '1 day', 'old-' || g, 'old-at-' || g from generate_series(1, 250) g");
    await query(db.url, "insert into verification_requests (identifier, token, expires) select 'x@example.com', 'old-' || g, now() - interval '1 day' from generate_series(1, 30) g");
    expect(await kit.purgeExpired({ batchSize: 100 })).toEqual({ sessions: 250, verificationTokens: 30, skipped: [] });
    expect(await v3.getSession(v3Rows.sessionToken)).toMatchObject({ userId: "1" });
  });

  test("the preset describes v3's tables exactly: synchronize only adds the authenticators table, then passkeys work", async () => {
    const shape = () =>
      query(db.url, `select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
                     where table_schema = 'public' and table_name <> 'authenticators' order by 1, 2`);
    const constraints = () => query(db.url, "select conname from pg_constraint where connamespace = 'public'::regnamespace and conrelid <> 'authenticators'::regclass order by 1");
    const before = await shape();
    const constraintsBefore = await query(db.url, "select conname from pg_constraint where connamespace = 'public'::regnamespace order by 1");
    await kit.synchronize();
    expect(await shape()).toEqual(before);
    expect(await constraints()).toEqual(constraintsBefore);
    await authjsRoundTrip(kit.authjs);
  });
});

describe("with NextAuth v3's own TypeORM adapter on the same database", () => {
  let db: TestDatabase;
  let kit: AdapterKit;
  let legacy: LegacyMethods;
  let original: LegacyMethods;
  let closeTypeorm: () => Promise<void>;

  beforeAll(async () => {
    db = await createTestDatabase();
    // next-auth@3's default adapter, creating its tables itself (TypeORM's synchronize).
    const Adapters = require("next-auth-v3/adapters").default;
    const v3Adapter = Adapters.TypeORM.Adapter(`${db.url.replace(/^postgresql:/, "postgres:")}?synchronize=true`);
    original = await v3Adapter.getAdapter({ ...appOptions, logger: { error: () => undefined, debug: () => undefined } });
    closeTypeorm = () => require("typeorm").getConnection("nextauth").close();
    kit = createAdapterKit({ database: db.url, entities: nextAuthV3Entities() });
    legacy = await kit.legacy.getAdapter(appOptions);
  });
  afterAll(async () => {
    await kit.close();
    await closeTypeorm();
    await db.drop();
  });

  test("the tables v3 creates are the ones the plain SQL above describes", async () => {
    const reference = await createTestDatabase();
    try {
      await query(reference.url, V3_SCHEMA);
      // typeorm_metadata is TypeORM's own bookkeeping table, not one of v3's.
      const describe = async (url: string) => ({
        columns: await query(
          url,
          `select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
           where table_schema = 'public' and table_name <> 'typeorm_metadata' order by 1, 2`,
        ),
        indexes: await query(url, "select indexdef from pg_indexes where schemaname = 'public' order by 1"),
      });
      expect(await describe(db.url)).toEqual(await describe(reference.url));
    } finally {
      await reference.drop();
    }
  });

  test("what v3 wrote, the kit reads; what the kit writes, v3 reads", async () => {
    // Written by v3's adapter.
    const v3User = (await original.createUser({ name: "Old", email: "old@example.com", image: null, emailVerified: true })) as unknown as { id: number };
    await original.linkAccount(v3User.id, "github", "oauth", 777, "r", "a", null);
    const v3Session = await original.createSession(v3User as never);
    const provider = emailProvider();
    await original.createVerificationRequest("old@example.com", "https://x", "raw-v3", SECRET, provider);

    expect(await legacy.getSession(v3Session.sessionToken)).toMatchObject({ userId: String(v3User.id), sessionToken: v3Session.sessionToken });
    expect(await kit.authjs.getUserByAccount({ provider: "github", providerAccountId: "777" })).toMatchObject({ id: String(v3User.id), email: "old@example.com" });
    expect(await legacy.getVerificationRequest("old@example.com", "raw-v3", SECRET, provider)).toMatchObject({ identifier: "old@example.com" });

    // Written by the kit, through both facades.
    const user = await kit.authjs.createUser({ email: "new@example.com", emailVerified: null, name: "New" });
    await kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "gitlab", providerAccountId: "888", access_token: "t", expires_at: 1_900_000_000 });
    const authjsSession = await kit.authjs.createSession({ sessionToken: hex32(), userId: user.id, expires: at(DAY_MS) });
    const legacySession = await legacy.createSession({ id: user.id });

    expect(await original.getUser(Number(user.id))).toMatchObject({ id: Number(user.id), email: "new@example.com" });
    expect(await original.getUserByProviderAccountId("gitlab", "888")).toMatchObject({ id: Number(user.id) });
    expect(await original.getSession(authjsSession.sessionToken)).toMatchObject({ userId: Number(user.id), expires: authjsSession.expires });
    expect(await original.getSession(legacySession.sessionToken)).toMatchObject({ userId: Number(user.id), accessToken: legacySession.accessToken });
  });
});
