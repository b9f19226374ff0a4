/**
 * NextAuth v3's sliding session over HTTP with `kit.legacy` on PostgreSQL: when a session older than
 * `updateAge` is read through `/api/auth/session`, the browser gets the expiry the database now holds
 * (next-auth 3 sets the cookie from the session object it handed `updateSession`).
 */
import { createAdapterKit, type AdapterKit } from "../../src";
import { SessionTokenHasher } from "../../src/kernel/sessionTokens";
import { Browser } from "../support/browser";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { readSession, requestSignInLink, V3_SESSION_COOKIE, v3EmailProvider, type SentLink } from "../support/nextauthV3Flows";
import { startNextAuthV3Server, type NextAuthV3Server } from "../support/nextauthV3Server";

const DAY_MS = 24 * 60 * 60 * 1000;
const SESSION_SECRET = "e2e-session-secret-0123456789abcdef";
const stored = (token: string) => new SessionTokenHasher(SESSION_SECRET).stored(token);
const EMAIL = "margaret@example.com";

let db: TestDatabase;
let kit: AdapterKit;
let server: NextAuthV3Server;
const outbox: SentLink[] = [];
const loggedErrors: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  kit = createAdapterKit({ database: db.url, synchronize: true, secret: SESSION_SECRET });
  // v3's defaults: 30-day sessions, extended at most once a day.
  server = await startNextAuthV3Server({
    adapter: kit.legacy,
    secret: "nextauth-v3-sliding-secret",
    session: { jwt: false },
    logger: { error: (code: string) => void loggedErrors.push(code), warn: () => undefined, debug: () => undefined },
    providers: [v3EmailProvider(outbox)],
  });
});

afterAll(async () => {
  await server?.close();
  await kit?.close();
  await db?.drop();
});

const storedExpiry = async (sessionToken: string) =>
  (await query<{ expires: Date }>(db.url, "select expires from sessions where session_token = $1", [stored(sessionToken)]))[0]?.expires;

test("a user back on day 29 gets the session's new expiry in the response and in the cookie", async () => {
  const browser = new Browser(server.origin);
  const link = await requestSignInLink(browser, outbox, EMAIL, `${server.origin}/`);
  expect((await browser.request(link.href)).status).toBe(302);
  const sessionToken = browser.cookies.get(V3_SESSION_COOKIE)!;
  expect(sessionToken).toMatch(/^[0-9a-f]{64}$/);

  // The session was created 29 days ago: it expires tomorrow.
  await query(db.url, "update sessions set expires = now() + interval '1 day' where session_token = $1", [stored(sessionToken)]);
  const dueExpiry = await storedExpiry(sessionToken);

  const read = await readSession(browser);
  expect(read.body.user?.email).toBe(EMAIL);
  const extended = await storedExpiry(sessionToken);
  expect(extended.getTime()).toBeGreaterThan(dueExpiry.getTime() + 28 * DAY_MS);
  expect(read.body.expires).toBe(extended.toISOString());
  expect(read.cookieExpires).toBe(extended.toUTCString());

  // Read again at once: not due, nothing moves, and the browser still hears the stored expiry.
  const again = await readSession(browser);
  expect(await storedExpiry(sessionToken)).toEqual(extended);
  expect(again.body.expires).toBe(extended.toISOString());
  expect(again.cookieExpires).toBe(extended.toUTCString());

  expect(loggedErrors).toEqual([]);
});
