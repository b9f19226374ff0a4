/**
 * NextAuth v3 (`next-auth@3`, installed as `next-auth-v3`) end to end over HTTP on loopback, with
 * `kit.legacy` on PostgreSQL: e-mail sign-in, session, the same link refused the second time, sign-out.
 */
import { createHash } from "node:crypto";
import { createAdapterKit, type AdapterKit } from "../../src";
import { SessionTokenHasher } from "../../src/kernel/sessionTokens";
import { Browser } from "../support/browser";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { startNextAuthV3Server, type NextAuthV3Server } from "../support/nextauthV3Server";

const SECRET = "nextauth-v3-e2e-secret";
const EMAIL = "alan@example.com";
const SESSION_COOKIE = "next-auth.session-token";

const SESSION_SECRET = "e2e-session-secret-0123456789abcdef";
const stored = (token: string) => new SessionTokenHasher(SESSION_SECRET).stored(token);
let db: TestDatabase;
let kit: AdapterKit;
let server: NextAuthV3Server;
/** What v3 handed the e-mail provider, newest last. */
const sent: { identifier: string; url: string; token: string }[] = [];
/** Error codes v3 (and the kit, through v3's logger) reported; a clean run has none. */
const loggedErrors: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  kit = createAdapterKit({ database: db.url, synchronize: true, secret: SESSION_SECRET });
  server = await startNextAuthV3Server({
    adapter: kit.legacy,
    secret: SECRET,
    session: { jwt: false },
    logger: { error: (code: string) => void loggedErrors.push(code), warn: () => undefined, debug: () => undefined },
    // The shape of v3's Providers.Email, minus nodemailer: the "e-mail" is kept for the test.
    providers: [
      {
        id: "email",
        type: "email",
        name: "Email",
        maxAge: 10 * 60,
        sendVerificationRequest: ({ identifier, url, token }: { identifier: string; url: string; token: string }) => {
          sent.push({ identifier, url, token });
        },
      },
    ],
  });
});

afterAll(async () => {
  await server?.close();
  await kit?.close();
  await db?.drop();
});

const sha256hex = (text: string) => createHash("sha256").update(text).digest("hex");

async function csrfToken(browser: Browser): Promise<string> {
  const { csrfToken } = await browser.json<{ csrfToken: string }>("/api/auth/csrf");
  expect(csrfToken).toMatch(/^[0-9a-f]{64}$/);
  return csrfToken;
}

test("e-mail sign-in, session, single-use link and sign-out through next-auth@3 on PostgreSQL", async () => {
  const browser = new Browser(server.origin);

  // 1. Ask for a link.
  const signIn = await browser.request("/api/auth/signin/email", {
    form: { email: EMAIL, csrfToken: await csrfToken(browser), callbackUrl: `${server.origin}/dashboard` },
  });
  expect(signIn.status).toBe(302);
  expect(signIn.headers.get("location")).toBe(`${server.baseUrl}/verify-request?provider=email&type=email`);
  expect(sent).toHaveLength(1);
  const { identifier, url, token } = sent[0];
  expect(identifier).toBe(EMAIL);
  const link = new URL(url);
  expect(`${link.origin}${link.pathname}`).toBe(`${server.baseUrl}/callback/email`);
  expect(link.searchParams.get("token")).toBe(token);

  // While the link is pending, PostgreSQL holds v3's sha256hex(token + secret), never the raw token.
  const pending = await query<{ identifier: string; token: string }>(db.url, "select identifier, token from verification_tokens");
  expect(pending).toEqual([{ identifier: EMAIL, token: sha256hex(`${token}${SECRET}`) }]);
  expect(JSON.stringify(pending)).not.toContain(token);

  // 2. Open the link: signed in, sent on to the callback URL, the token is used up.
  const callback = await browser.request(link.href);
  expect(callback.status).toBe(302);
  expect(callback.headers.get("location")).toBe(`${server.origin}/dashboard`);
  const sessionToken = browser.cookies.get(SESSION_COOKIE);
  expect(sessionToken).toMatch(/^[0-9a-f]{64}$/);
  expect(await query(db.url, "select * from verification_tokens")).toEqual([]);

  // 3. The session reads back with the user's e-mail, and is a row in PostgreSQL.
  const session = await browser.json<{ user?: { email?: string }; expires?: string }>("/api/auth/session");
  expect(session.user?.email).toBe(EMAIL);
  expect(Date.parse(session.expires!)).toBeGreaterThan(Date.now());
  const rows = await query<{ session_token: string; email: string; email_verified: Date | null }>(
    db.url,
    "select s.session_token, u.email, u.email_verified from sessions s join users u on u.id = s.user_id",
  );
  // On the kit's own tables the token is stored as the kit's HMAC of it (the default), never as is.
  expect(rows).toEqual([{ session_token: stored(sessionToken!), email: EMAIL, email_verified: expect.any(Date) }]);

  // 4. The same link a second time (another browser): refused, no session.
  const replayer = new Browser(server.origin);
  const replay = await replayer.request(link.href);
  expect(replay.status).toBe(302);
  expect(replay.headers.get("location")).toBe(`${server.baseUrl}/error?error=Verification`);
  expect(replayer.cookies.has(SESSION_COOKIE)).toBe(false);
  expect(await query(db.url, "select id from sessions")).toHaveLength(1);

  // 5. Sign out: cookie cleared, session gone from v3 and from PostgreSQL.
  const signOut = await browser.request("/api/auth/signout", { form: { csrfToken: await csrfToken(browser) } });
  expect(signOut.status).toBe(302);
  expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
  expect(await browser.json("/api/auth/session")).toEqual({});
  expect(await query(db.url, "select id from sessions")).toEqual([]);

  // The old cookie, replayed by hand, finds nothing either.
  const stolen = await fetch(`${server.baseUrl}/session`, { headers: { cookie: `${SESSION_COOKIE}=${sessionToken}` } });
  expect(await stolen.json()).toEqual({});

  expect(loggedErrors).toEqual([]);
});
