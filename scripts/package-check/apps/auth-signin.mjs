// An e-mail sign-in through Auth.js (@auth/core, ESM-only), driven like a browser: CSRF token, the
// magic link, the session cookie, GET /session. Shared by the ESM consumers of the package check.
import { Auth } from "@auth/core";

const ORIGIN = "http://localhost:3000";

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Signs `email` in on `adapter` (a kit's `authjs`) and returns the session Auth.js reports. */
export async function signInByEmail(adapter, email) {
  const jar = new Map();
  let magicLink;
  const config = {
    adapter,
    basePath: "/auth",
    secret: "package-check-secret",
    trustHost: true,
    session: { strategy: "database" },
    providers: [{ id: "email", type: "email", name: "Email", maxAge: 600, sendVerificationRequest: ({ url }) => void (magicLink = url) }],
  };
  /** Remembers the cookies responses set and sends them back. */
  const takeCookies = (response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]) < Date.now()));
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
  };
  const browse = async (path, form) => {
    const headers = { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; ") };
    let body;
    if (form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(form).toString();
    }
    const response = await Auth(new Request(new URL(path, ORIGIN), { method: form ? "POST" : "GET", headers, body }), config);
    takeCookies(response);
    return response;
  };

  const { csrfToken } = await (await browse("/auth/csrf")).json();
  check(csrfToken, "no CSRF token");
  const signIn = await browse("/auth/signin/email", { email, csrfToken, callbackUrl: `${ORIGIN}/` });
  check(signIn.status === 302 && magicLink, `sign-in did not send a link (status ${signIn.status})`);
  await browse(magicLink);
  check(jar.has("authjs.session-token"), "opening the magic link did not sign in");
  const session = await (await browse("/auth/session")).json();
  check(session?.user?.email === email, `GET /auth/session: ${JSON.stringify(session)}`);
  return session;
}
