/**
 * Auth.js (`@auth/core`) OAuth sign-in over HTTP on loopback, with `kit.authjs` on PostgreSQL, for
 * a provider that sends no e-mail (X does not; neither do OIDC providers asked without the `email`
 * scope). @auth/core then calls `createUser` with `email: undefined`: the kit must create the user,
 * not refuse the sign-in.
 */
import type { AuthConfig } from "@auth/core";
import { startDevOidc, type RunningDevOidc } from "../../examples/nextjs/lib/dev-oidc/server";
import { createAdapterKit, type AdapterKit } from "../../src";
import { Browser } from "../support/browser";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { startAuthjsServer } from "../support/authjsServer";
import type { RunningServer } from "../support/httpServer";

const PROVIDER = "dev-oidc";
const CLIENT_ID = "no-email-client";
const CLIENT_SECRET = "no-email-client-secret-0123456789";
const SESSION_COOKIE = "authjs.session-token";

let db: TestDatabase;
let kit: AdapterKit;
let server: RunningServer;
let idp: RunningDevOidc;
/** What Auth.js logged as errors (none is expected). */
const loggedErrors: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  kit = createAdapterKit({ database: db.url, synchronize: true, secret: "oauth-e2e-session-secret-0123456789" });
  const config: AuthConfig = {
    adapter: kit.authjs,
    basePath: "/auth",
    secret: "oauth-e2e-auth-secret",
    trustHost: true,
    session: { strategy: "database" },
    providers: [],
    logger: { error: (error) => void loggedErrors.push(`${(error as Error & { type?: string }).type ?? error.name}: ${String((error as Error).cause ?? "")}`) },
  };
  // The provider needs the app's callback URL and the app the provider's issuer: the app starts
  // first, and Auth.js reads the config on every request.
  server = await startAuthjsServer(config);
  idp = await startDevOidc({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: `${server.origin}/auth/callback/${PROVIDER}`,
    user: { sub: "x-user-42", name: "No Mail" },
    port: 0,
  });
  config.providers.push({ id: PROVIDER, name: "Dev OIDC", type: "oidc", issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
});

afterAll(async () => {
  await idp?.close();
  await server?.close();
  await kit?.close();
  await db?.drop();
});

/** One OAuth round: sign-in button, the provider's consent (approved at once), the callback. */
async function signIn(browser: Browser): Promise<Response> {
  const { csrfToken } = await browser.json<{ csrfToken: string }>("/auth/csrf");
  const start = await browser.request(`/auth/signin/${PROVIDER}`, { form: { csrfToken, callbackUrl: `${server.origin}/home` } });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get("location")!);
  expect(authorize.origin).toBe(idp.issuer);
  const approved = await browser.request(authorize.href);
  expect(approved.status).toBe(302);
  return browser.request(approved.headers.get("location")!);
}

test("a provider without an e-mail signs the user in, and the same user again the second time", async () => {
  const browser = new Browser(server.origin);
  const callback = await signIn(browser);
  expect(loggedErrors).toEqual([]);
  expect([callback.status, callback.headers.get("location")]).toEqual([302, `${server.origin}/home`]);
  expect(browser.cookies.get(SESSION_COOKIE)).toEqual(expect.any(String));

  const session = await browser.json<{ user?: { name?: string; email?: string | null } }>("/auth/session");
  expect(session.user?.name).toBe("No Mail");
  expect(session.user?.email ?? null).toBeNull();

  const users = await query<{ id: string; email: string | null; name: string }>(db.url, "select id, email, name from users");
  expect(users).toEqual([{ id: expect.any(String), email: null, name: "No Mail" }]);
  const accounts = await query<{ user_id: string; provider: string; provider_account_id: string }>(db.url, "select user_id, provider, provider_account_id from accounts");
  expect(accounts).toEqual([{ user_id: users[0].id, provider: PROVIDER, provider_account_id: "x-user-42" }]);

  // Another browser, the same provider account: found by the account, not created again.
  const again = new Browser(server.origin);
  const second = await signIn(again);
  expect([second.status, second.headers.get("location")]).toEqual([302, `${server.origin}/home`]);
  expect(await query(db.url, "select id from users")).toEqual([{ id: users[0].id }]);
  expect(await query(db.url, "select user_id from sessions")).toEqual([{ user_id: users[0].id }, { user_id: users[0].id }]);
  expect(loggedErrors).toEqual([]);
});
