/**
 * Both consumers end to end over HTTP on loopback, on MariaDB through each driver: @auth/core's
 * `Auth()` with `kit.authjs` and next-auth@3's handler with `kit.legacy`. E-mail sign-in, the
 * session, the same link refused the second time, sign-out.
 */
import type { AuthConfig } from "@auth/core";
import { createHash } from "node:crypto";
import { createAdapterKit, type AdapterKit } from "../../src";
import { SessionTokenHasher } from "../../src/kernel/sessionTokens";
import { startAuthjsServer } from "../support/authjsServer";
import { Browser } from "../support/browser";
import { createTestMariaDb, mariaQuery, type TestMariaDb } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";
import { startNextAuthV3Server } from "../support/nextauthV3Server";

const sha256hex = (text: string) => createHash("sha256").update(text).digest("hex");

const SESSION_SECRET = "mysql-e2e-session-secret-0123456789abcdef";
const stored = (token: string) => new SessionTokenHasher(SESSION_SECRET).stored(token);

describe.each(MYSQL_DRIVERS)("end to end on MariaDB, $name driver", ({ url }) => {
  let db: TestMariaDb;
  let kit: AdapterKit;
  beforeAll(async () => {
    db = await createTestMariaDb();
    kit = createAdapterKit({ database: url(db), synchronize: true, secret: SESSION_SECRET });
  });
  afterAll(async () => {
    await kit.close();
    await db.drop();
  });
  const rows = (sql: string, params: unknown[] = []) => mariaQuery(db.mysqlUrl, sql, params);

  test("@auth/core Auth(): e-mail sign-in, session, single-use link, sign-out", async () => {
    const SECRET = "authjs-maria-secret";
    const EMAIL = "grace@example.com";
    const COOKIE = "authjs.session-token";
    const sent: string[] = [];
    const config: AuthConfig = {
      adapter: kit.authjs,
      basePath: "/auth",
      secret: SECRET,
      trustHost: true,
      session: { strategy: "database" },
      providers: [{ id: "email", type: "email", name: "Email", maxAge: 600, sendVerificationRequest: ({ url: link }) => void sent.push(link) }],
      logger: { error: () => undefined },
    };
    const server = await startAuthjsServer(config);
    try {
      const browser = new Browser(server.origin);
      const csrf = async (b: Browser) => (await b.json<{ csrfToken: string }>("/auth/csrf")).csrfToken;
      const signIn = await browser.request("/auth/signin/email", { form: { email: EMAIL, csrfToken: await csrf(browser), callbackUrl: `${server.origin}/dashboard` } });
      expect(signIn.status).toBe(302);
      const link = new URL(sent[0]!);
      const rawToken = link.searchParams.get("token")!;
      expect(await rows("select identifier, token from verification_tokens")).toEqual([{ identifier: EMAIL, token: sha256hex(`${rawToken}${SECRET}`) }]);

      const callback = await browser.request(link.href);
      expect(callback.headers.get("location")).toBe(`${server.origin}/dashboard`);
      const sessionToken = browser.cookies.get(COOKIE);
      expect(await rows("select * from verification_tokens")).toEqual([]);
      expect((await browser.json<{ user?: { email?: string } }>("/auth/session")).user?.email).toBe(EMAIL);
      expect(await rows("select s.session_token, u.email from sessions s join users u on u.id = s.user_id")).toEqual([{ session_token: stored(sessionToken!), email: EMAIL }]); // hashed at rest (the default)

      const replayer = new Browser(server.origin);
      const replay = await replayer.request(link.href);
      expect(new URL(replay.headers.get("location")!).searchParams.get("error")).toBe("Verification");
      expect(replayer.cookies.has(COOKIE)).toBe(false);

      await browser.request("/auth/signout", { form: { csrfToken: await csrf(browser) } });
      expect(await rows("select id from sessions")).toEqual([]);
      const stolen = await fetch(`${server.origin}/auth/session`, { headers: { cookie: `${COOKIE}=${sessionToken}` } });
      expect(await stolen.json()).toBeNull();
    } finally {
      await server.close();
    }
  });

  test("next-auth@3's handler: e-mail sign-in, session, single-use link, sign-out", async () => {
    const SECRET = "v3-maria-secret";
    const EMAIL = "alan@example.com";
    const COOKIE = "next-auth.session-token";
    const sent: { url: string; token: string }[] = [];
    const loggedErrors: string[] = [];
    const server = await startNextAuthV3Server({
      adapter: kit.legacy,
      secret: SECRET,
      session: { jwt: false },
      logger: { error: (code: string) => void loggedErrors.push(code), warn: () => undefined, debug: () => undefined },
      providers: [{ id: "email", type: "email", name: "Email", maxAge: 600, sendVerificationRequest: ({ url: link, token }: { url: string; token: string }) => void sent.push({ url: link, token }) }],
    });
    try {
      const browser = new Browser(server.origin);
      const csrf = async (b: Browser) => (await b.json<{ csrfToken: string }>("/api/auth/csrf")).csrfToken;
      await browser.request("/api/auth/signin/email", { form: { email: EMAIL, csrfToken: await csrf(browser), callbackUrl: `${server.origin}/dashboard` } });
      const { url: link, token } = sent[0]!;
      expect(await rows("select identifier, token from verification_tokens where identifier = ?", [EMAIL])).toEqual([{ identifier: EMAIL, token: sha256hex(`${token}${SECRET}`) }]);

      const callback = await browser.request(link);
      expect(callback.headers.get("location")).toBe(`${server.origin}/dashboard`);
      const sessionToken = browser.cookies.get(COOKIE);
      expect(sessionToken).toMatch(/^[0-9a-f]{64}$/);
      expect((await browser.json<{ user?: { email?: string } }>("/api/auth/session")).user?.email).toBe(EMAIL);

      const replayer = new Browser(server.origin);
      const replay = await replayer.request(link);
      expect(replay.headers.get("location")).toBe(`${server.baseUrl}/error?error=Verification`);
      expect(replayer.cookies.has(COOKIE)).toBe(false);

      await browser.request("/api/auth/signout", { form: { csrfToken: await csrf(browser) } });
      expect(await rows("select id from sessions where session_token = ?", [stored(sessionToken!)])).toEqual([]);
      expect(await browser.json("/api/auth/session")).toEqual({});
      expect(loggedErrors).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
