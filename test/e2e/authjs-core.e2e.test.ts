/**
 * Auth.js (`@auth/core`) end to end over HTTP on loopback, with `kit.authjs` on PostgreSQL:
 * e-mail sign-in, session, the same link refused the second time, sign-out.
 */
import type { AuthConfig } from "@auth/core";
import { createHash } from "node:crypto";
import { createAdapterKit, type AdapterKit } from "../../src";
import { SessionTokenHasher } from "../../src/kernel/sessionTokens";
import { Browser } from "../support/browser";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { startAuthjsServer } from "../support/authjsServer";
import type { RunningServer } from "../support/httpServer";

const SECRET = "authjs-e2e-secret";
const EMAIL = "grace@example.com";
const SESSION_COOKIE = "authjs.session-token";

const SESSION_SECRET = "e2e-session-secret-0123456789abcdef";
const stored = (token: string) => new SessionTokenHasher(SESSION_SECRET).stored(token);
let db: TestDatabase;
let kit: AdapterKit;
let server: RunningServer;
/** The links the e-mail provider was asked to send, newest last. */
const sentLinks: string[] = [];
/** The error types Auth.js logged (only the refused second click should be among them). */
const loggedErrors: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  kit = createAdapterKit({ database: db.url, synchronize: true, secret: SESSION_SECRET });
  const config: AuthConfig = {
    adapter: kit.authjs,
    basePath: "/auth",
    secret: SECRET,
    trustHost: true,
    session: { strategy: "database" },
    providers: [
      {
        id: "email",
        type: "email",
        name: "Email",
        maxAge: 10 * 60,
        sendVerificationRequest({ url }) {
          sentLinks.push(url);
        },
      },
    ],
    // Kept rather than printed: the test checks that the refused second click is the only error.
    logger: { error: (error) => void loggedErrors.push((error as Error & { type?: string }).type ?? error.name) },
  };
  server = await startAuthjsServer(config);
});

afterAll(async () => {
  await server?.close();
  await kit?.close();
  await db?.drop();
});

async function csrfToken(browser: Browser): Promise<string> {
  const { csrfToken } = await browser.json<{ csrfToken: string }>("/auth/csrf");
  expect(csrfToken).toEqual(expect.any(String));
  return csrfToken;
}

test("e-mail sign-in, session, single-use link and sign-out through @auth/core on PostgreSQL", async () => {
  const browser = new Browser(server.origin);

  // 1. Ask for a link.
  const signIn = await browser.request("/auth/signin/email", {
    form: { email: EMAIL, csrfToken: await csrfToken(browser), callbackUrl: `${server.origin}/dashboard` },
  });
  expect(signIn.status).toBe(302);
  expect(signIn.headers.get("location")).toBe(`${server.origin}/auth/verify-request?provider=email&type=email`);
  expect(sentLinks).toHaveLength(1);
  const link = new URL(sentLinks[0]);
  expect(`${link.origin}${link.pathname}`).toBe(`${server.origin}/auth/callback/email`);
  const rawToken = link.searchParams.get("token")!;
  expect(rawToken).toMatch(/^[0-9a-f]{32,}$/);

  // While the link is pending, PostgreSQL holds Auth.js's hash of the token, never the token itself.
  const pending = await query<{ identifier: string; token: string }>(db.url, "select identifier, token from verification_tokens");
  expect(pending).toEqual([{ identifier: EMAIL, token: createHash("sha256").update(`${rawToken}${SECRET}`).digest("hex") }]);
  expect(JSON.stringify(pending)).not.toContain(rawToken);

  // 2. Open the link: signed in, sent on to the callback URL, the token is used up.
  const callback = await browser.request(link.href);
  expect(callback.status).toBe(302);
  expect(callback.headers.get("location")).toBe(`${server.origin}/dashboard`);
  const sessionToken = browser.cookies.get(SESSION_COOKIE);
  expect(sessionToken).toEqual(expect.any(String));
  expect(await query(db.url, "select * from verification_tokens")).toEqual([]);

  // 3. The session reads back with the user's e-mail, and is a row in PostgreSQL.
  const session = await browser.json<{ user?: { email?: string }; expires?: string }>("/auth/session");
  expect(session.user?.email).toBe(EMAIL);
  expect(Date.parse(session.expires!)).toBeGreaterThan(Date.now());
  const rows = await query<{ session_token: string; email: string }>(
    db.url,
    "select s.session_token, u.email from sessions s join users u on u.id = s.user_id",
  );
  // Stored as the kit's HMAC of the cookie's token (hashed at rest by default), never the token.
  expect(rows).toEqual([{ session_token: stored(sessionToken!), email: EMAIL }]);

  // 4. The same link a second time (another browser): refused, no session.
  const replayer = new Browser(server.origin);
  const replay = await replayer.request(link.href);
  expect(replay.status).toBe(302);
  expect(new URL(replay.headers.get("location")!).pathname).toBe("/auth/error");
  expect(new URL(replay.headers.get("location")!).searchParams.get("error")).toBe("Verification");
  expect(replayer.cookies.has(SESSION_COOKIE)).toBe(false);
  expect(await query(db.url, "select id from sessions")).toHaveLength(1);

  // 5. Sign out: cookie cleared, session gone from Auth.js and from PostgreSQL.
  const signOut = await browser.request("/auth/signout", { form: { csrfToken: await csrfToken(browser) } });
  expect(signOut.status).toBe(302);
  expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
  const after = await browser.json<unknown>("/auth/session");
  expect(after === null || (typeof after === "object" && Object.keys(after as object).length === 0)).toBe(true);
  expect(await query(db.url, "select id from sessions")).toEqual([]);

  // The old cookie, replayed by hand, finds nothing either.
  const stolen = await fetch(`${server.origin}/auth/session`, { headers: { cookie: `${SESSION_COOKIE}=${sessionToken}` } });
  expect(await stolen.json()).toBeNull();

  expect(loggedErrors).toEqual(["Verification"]);
});
