/**
 * What a person does in the example app, step by step, in two browsers (two devices). Each step
 * names what it checks; the runner counts them.
 */
import type { BrowserContext, Page } from "playwright-core";
import { query } from "../support/database";
import type { RedisServer } from "../support/redisServer";

export interface Scenario {
  url: string;
  databaseUrl: string;
  redis: RedisServer;
  /** Where screenshots go. */
  shot(name: string, page: Page): Promise<void>;
  deviceA: BrowserContext;
  deviceB: BrowserContext;
}

export interface Step {
  name: string;
  run(): Promise<void>;
}

const EMAIL = "ada@example.test";

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** The page a failure screenshot should show: whichever page a step used last. */
export const lastPage: { page?: Page } = {};

export function steps(s: Scenario): Step[] {
  let a!: Page;
  let b!: Page;
  let firstLink = "";

  const on = (page: Page) => (lastPage.page = page);
  const path = (page: Page) => new URL(page.url()).pathname;

  async function requestLink(page: Page): Promise<string> {
    on(page);
    await page.goto(`${s.url}/api/auth/signin?callbackUrl=%2Fprotected`);
    await page.fill("#input-email-for-email-provider", EMAIL);
    await page.getByRole("button", { name: "Sign in with Email" }).click();
    await page.waitForURL(/\/api\/auth\/verify-request/);
    await page.getByText("Check your email").waitFor();
    await page.goto(`${s.url}/dev/mailbox`);
    const href = await page.getByTestId("sign-in-link").first().getAttribute("href");
    check(href && href.startsWith(`${s.url}/api/auth/callback/email?`), `the mailbox shows no sign-in link (got ${href})`);
    return href;
  }

  async function expectRefused(page: Page, link: string, what: string): Promise<void> {
    on(page);
    await page.goto(link);
    await page.waitForURL(/\/api\/auth\/error\?error=Verification/);
    const text = await page.locator("body").innerText();
    check(text.includes("The sign in link is no longer valid"), `${what}: the error page does not say the link is invalid`);
    check(!/\n\s+at .+:\d+:\d+/.test(text) && !text.includes("Error:"), `${what}: the error page shows a stack trace or error text`);
    check(!(await page.context().cookies()).some((c) => c.name.endsWith("next-auth.session-token")), `${what}: a session cookie was set`);
  }

  async function expectSignedOut(page: Page): Promise<void> {
    on(page);
    await page.goto(`${s.url}/protected`);
    await page.waitForURL(/\/api\/auth\/signin/);
    check(path(page) === "/api/auth/signin", `expected the sign-in page, got ${page.url()}`);
  }

  async function protectedEmail(page: Page): Promise<string> {
    on(page);
    await page.goto(`${s.url}/protected`);
    return (await page.getByTestId("email").innerText()).trim();
  }

  async function sessionCount(page: Page): Promise<number> {
    on(page);
    await page.goto(`${s.url}/sessions`);
    return Number(await page.getByTestId("session-count").innerText());
  }

  async function metric(result: string): Promise<number> {
    const text = await (await fetch(`${s.url}/api/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`auth_adapter_session_cache_requests_total{result="${result}"}`));
    return line ? Number(line.split(" ").at(-1)) : 0;
  }

  return [
    {
      name: "a signed-out visitor of the protected page is sent to sign in",
      async run() {
        a = await s.deviceA.newPage();
        b = await s.deviceB.newPage();
        await expectSignedOut(a);
      },
    },
    {
      name: "e-mail link from /dev/mailbox lands on the protected page with the user and the session expiry",
      async run() {
        firstLink = await requestLink(a);
        await a.goto(firstLink);
        await a.waitForURL(`${s.url}/protected`);
        check((await protectedEmail(a)) === EMAIL, "the protected page does not show the signed-in e-mail");
        const expires = Date.parse(await a.getByTestId("expires").innerText());
        check(expires > Date.now() + 29 * 24 * 3600_000, "the session expiry shown is not about 30 days ahead");
      },
    },
    {
      name: "the same link opened again is refused with the sign-in error page",
      async run() {
        const other = await s.deviceB.newPage();
        try {
          await expectRefused(other, firstLink, "reused link");
        } finally {
          await other.close();
        }
      },
    },
    {
      name: "a tampered link shows the sign-in error page, no stack trace",
      async run() {
        const link = new URL(await requestLink(b));
        const token = link.searchParams.get("token")!;
        link.searchParams.set("token", `${token.slice(0, -1)}${token.endsWith("0") ? "1" : "0"}`);
        await expectRefused(b, link.toString(), "tampered link");
      },
    },
    {
      name: "an expired link shows the sign-in error page, no stack trace",
      async run() {
        const link = await requestLink(b);
        const updated = await query(s.databaseUrl, "update verification_tokens set expires = now() - interval '1 minute' returning identifier");
        check(updated.length > 0, "no pending verification token to expire");
        await expectRefused(b, link, "expired link");
      },
    },
    {
      name: "a second device signs in and both sessions are listed, this device marked",
      async run() {
        await b.goto(await requestLink(b));
        await b.waitForURL(`${s.url}/protected`);
        check((await sessionCount(a)) === 2, "device A does not list two sessions");
        check((await a.locator(".tag").count()) === 1, "not exactly one session is marked 'this device'");
        const stored = await query<{ session_token: string }>(s.databaseUrl, "select session_token from sessions");
        check(stored.length === 2 && stored.every((r) => r.session_token.startsWith("h1:")), "session tokens are not stored hashed");
        await s.shot("sessions-page", a);
      },
    },
    {
      name: "'sign out other devices' keeps this device and signs the second out on its next navigation",
      async run() {
        on(a);
        await a.getByRole("button", { name: "Sign out other devices" }).click();
        await a.getByRole("status").waitFor();
        check((await a.getByRole("status").innerText()).includes("Signed out 1"), "the page does not report one session signed out");
        check((await sessionCount(a)) === 1, "device A does not list exactly its own session");
        await expectSignedOut(b);
        check((await protectedEmail(a)) === EMAIL, "device A was signed out too");
      },
    },
    {
      name: "OAuth sign-in with the test OIDC provider while signed in shows the linked account, its tokens encrypted at rest",
      async run() {
        on(a);
        await a.goto(`${s.url}/api/auth/signin?callbackUrl=%2Fprotected`);
        await a.getByRole("button", { name: "Sign in with Dev OIDC" }).click();
        await a.waitForURL(`${s.url}/protected`);
        const accounts = await a.getByTestId("accounts").innerText();
        check(accounts.includes("Dev OIDC"), `the protected page does not show the linked account (shows "${accounts}")`);
        check((await protectedEmail(a)) === EMAIL, "linking changed the signed-in user");
        await s.shot("protected-page", a);
        // encryptAccountTokens: the provider's tokens are stored encrypted, never as the provider gave them.
        const [row] = await query<{ access_token: string; id_token: string }>(s.databaseUrl, "select access_token, id_token from accounts where provider = 'dev-oidc'");
        check(row?.access_token?.startsWith("enc:v1:browser-test:") && row.id_token?.startsWith("enc:v1:browser-test:"), "the OIDC account's tokens are not stored encrypted");
      },
    },
    {
      name: "Redis down while signed in: pages load, the session resolves, /api/metrics counts bypasses",
      async run() {
        const before = await metric("bypass");
        await s.redis.stop();
        try {
          check((await protectedEmail(a)) === EMAIL, "the protected page did not resolve the session with Redis down");
          check((await sessionCount(a)) === 1, "the sessions page did not load with Redis down");
          // The cache may answer from its own process until it has noticed the lost connection: a
          // few more page loads (each must still show the user) until the bypass shows.
          for (let i = 0; i < 5 && (await metric("bypass")) === before; i++) {
            check((await protectedEmail(a)) === EMAIL, "the protected page did not resolve the session with Redis down");
          }
          const after = await metric("bypass");
          check(after > before, `the bypass counter did not move (${before} -> ${after}; hits ${await metric("hit")}, misses ${await metric("miss")})`);
        } finally {
          await s.redis.start();
        }
      },
    },
    {
      name: "sign out: the protected page sends to sign-in again",
      async run() {
        on(a);
        await a.goto(`${s.url}/api/auth/signout`);
        await a.getByRole("button", { name: "Sign out" }).click();
        await a.waitForURL((url) => url.pathname !== "/api/auth/signout");
        await expectSignedOut(a);
      },
    },
    {
      name: "signed out, the linked OIDC account signs in to the same user",
      async run() {
        on(a);
        await a.getByRole("button", { name: "Sign in with Dev OIDC" }).click();
        await a.waitForURL(`${s.url}/protected`);
        check((await protectedEmail(a)) === EMAIL, "the OIDC account did not sign in to the e-mail user it was linked to");
      },
    },
    {
      name: "'sign out everywhere' signs out this device and the other one",
      async run() {
        await b.goto(await requestLink(b));
        await b.waitForURL(`${s.url}/protected`);
        check((await sessionCount(a)) === 2, "device A does not list two sessions before signing out everywhere");
        await a.getByRole("button", { name: "Sign out everywhere" }).click();
        await a.waitForURL(/\/api\/auth\/signin/);
        await expectSignedOut(a);
        await expectSignedOut(b);
        const left = await query(s.databaseUrl, "select 1 from sessions");
        check(left.length === 0, `${left.length} session row(s) left in the database`);
      },
    },
  ];
}
