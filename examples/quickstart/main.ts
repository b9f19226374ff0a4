/**
 * Quickstart: a complete e-mail sign-in through Auth.js (`@auth/core`) on the kit's default
 * database (SQLite in memory, tables created for you). Run it with `npm start`.
 *
 * No web server and no mail server: requests go straight to `Auth()` in this process, and the
 * "e-mail" is a function that keeps the magic link so we can open it.
 */
import type { AuthConfig } from "@auth/core";
import { createAdapterKit } from "../../src";
import { Cookies } from "./cookies";

const ORIGIN = "http://localhost:3000";
const EMAIL = "ada@example.com";

/** Hides the token in a link before printing it: a real token is a password for one sign-in. */
const masked = (link: string) => link.replace(/token=[^&]+/, "token=<hidden>");

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function main(): Promise<void> {
  // @auth/core is ESM-only and this project is CommonJS. @swc-node/register compiles this import to
  // require(), which Node >= 20.19 (our `engines`) supports for ES modules without a flag.
  const { Auth } = await import("@auth/core");

  // One secret for Auth.js and the kit (which hashes session tokens under it); a real app reads AUTH_SECRET.
  const secret = "quickstart-secret-do-not-use-in-production";
  const kit = createAdapterKit({ database: "memory", secret }); // SQLite in memory, schema created on first use
  let magicLink: string | undefined;

  const config: AuthConfig = {
    adapter: kit.authjs,
    basePath: "/auth",
    secret,
    trustHost: true,
    session: { strategy: "database" },
    providers: [
      {
        id: "email",
        type: "email",
        name: "Email",
        maxAge: 10 * 60,
        // Where a real app sends an e-mail, we keep the link.
        sendVerificationRequest({ url }) {
          magicLink = url;
        },
      },
    ],
  };

  const cookies = new Cookies();
  /** One browser request: sends our cookies, keeps the ones the response sets. */
  async function browse(path: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const url = new URL(path, ORIGIN);
    const headers: Record<string, string> = { cookie: cookies.header() };
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const response = await Auth(new Request(url, { method: init.method ?? "GET", headers, body }), config);
    cookies.take(response);
    return response;
  }

  try {
    const { csrfToken } = (await (await browse("/auth/csrf")).json()) as { csrfToken: string };
    check(csrfToken, "GET /auth/csrf returned no csrfToken");
    console.log(`1. CSRF token received (and its cookie set): ${csrfToken.slice(0, 8)}...`);

    const signIn = await browse("/auth/signin/email", { method: "POST", form: { email: EMAIL, csrfToken, callbackUrl: `${ORIGIN}/` } });
    check(signIn.status === 302, `POST /auth/signin/email answered ${signIn.status}, expected a redirect`);
    console.log(`2. Asked for a sign-in link for ${EMAIL}: redirected to ${signIn.headers.get("location")}`);

    check(magicLink, "the e-mail provider was never asked to send a link");
    console.log(`3. The e-mail provider got the magic link: ${masked(magicLink)}`);

    const callback = await browse(magicLink);
    check(cookies.has("authjs.session-token"), `opening the link did not sign in (status ${callback.status}, location ${callback.headers.get("location")})`);
    console.log(`4. Opened the link: signed in, session cookie set, redirected to ${callback.headers.get("location")}`);

    const session = (await (await browse("/auth/session")).json()) as { user?: { email?: string } } | null;
    check(session?.user?.email === EMAIL, `GET /auth/session did not return ${EMAIL}'s session: ${JSON.stringify(session)}`);
    console.log(`5. Session: ${JSON.stringify(session)}`);

    const user = await kit.authjs.getUserByEmail(EMAIL);
    console.log(`6. The database now holds the user ${user?.email} (id ${user?.id}, e-mail verified at ${user?.emailVerified?.toISOString()})`);

    const sessionToken = cookies.get("authjs.session-token")!;
    const signOut = await browse("/auth/signout", { method: "POST", form: { csrfToken } });
    check(signOut.status === 302 && !cookies.has("authjs.session-token"), `POST /auth/signout did not sign out (status ${signOut.status})`);
    console.log(`7. Signed out: session cookie cleared, redirected to ${signOut.headers.get("location")}`);

    const after = (await (await browse("/auth/session")).json()) as unknown;
    check(after === null || (typeof after === "object" && Object.keys(after).length === 0), `a session is still there after sign-out: ${JSON.stringify(after)}`);
    console.log(`8. Session after sign-out: ${JSON.stringify(after)} (no session)`);

    const stale = await kit.authjs.getSessionAndUser(sessionToken);
    check(stale === null, "the signed-out session is still in the database");
    console.log("9. The old session token is deleted from the database too: it finds no session");
    console.log("Done: a complete e-mail sign-in and sign-out through Auth.js on the adapter kit.");
  } finally {
    await kit.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Quickstart failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
