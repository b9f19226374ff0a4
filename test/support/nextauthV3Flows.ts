import type { Browser } from "./browser";

/** next-auth 3's session cookie name on http (no `__Secure-` prefix). */
export const V3_SESSION_COOKIE = "next-auth.session-token";

/** What v3 handed the e-mail provider. */
export interface SentLink {
  identifier: string;
  url: string;
  token: string;
}

/** The shape of v3's `Providers.Email`, minus nodemailer: each "e-mail" is pushed to `outbox`. */
export function v3EmailProvider(outbox: SentLink[]) {
  return {
    id: "email",
    type: "email",
    name: "Email",
    maxAge: 24 * 60 * 60,
    sendVerificationRequest: ({ identifier, url, token }: SentLink) => void outbox.push({ identifier, url, token }),
  };
}

/** Asks v3 for a sign-in link as the sign-in page's form would; returns the link it e-mailed. */
export async function requestSignInLink(browser: Browser, outbox: SentLink[], email: string, callbackUrl: string): Promise<URL> {
  const { csrfToken } = await browser.json<{ csrfToken: string }>("/api/auth/csrf");
  const before = outbox.length;
  const response = await browser.request("/api/auth/signin/email", { form: { email, csrfToken, callbackUrl } });
  if (response.status !== 302 || !/\/verify-request\b/.test(response.headers.get("location") ?? "")) {
    throw new Error(`sign-in request for a link answered ${response.status} ${response.headers.get("location")}`);
  }
  const sent = outbox.slice(before);
  if (sent.length !== 1 || sent[0].identifier !== email) throw new Error(`expected one link for ${email}, got ${sent.length}`);
  return new URL(sent[0].url);
}

/** What `/api/auth/session` answered: the JSON body and the session cookie's `Expires` as sent, if set. */
export interface SessionRead {
  body: { user?: { email?: string | null }; expires?: string };
  cookieExpires: string | undefined;
}

/** GETs `/api/auth/session` and reads the body and the `Set-Cookie` v3 sent for the session. */
export async function readSession(browser: Browser): Promise<SessionRead> {
  const response = await browser.request("/api/auth/session");
  if (!response.ok) throw new Error(`/api/auth/session answered ${response.status}`);
  const line = response.headers.getSetCookie().find((l) => l.startsWith(`${V3_SESSION_COOKIE}=`));
  const expires = line
    ?.split(";")
    .map((part) => part.trim())
    .find((part) => part.toLowerCase().startsWith("expires="));
  return {
    body: (await response.json()) as SessionRead["body"],
    cookieExpires: expires?.slice("expires=".length),
  };
}
