// ESM consumer ("type": "module"): an e-mail sign-in through Auth.js (@auth/core, ESM-only) on the
// kit's embedded default (SQLite in memory), with two of the kit's plugins. Exits 0 when it worked.
import { Auth } from "@auth/core";
import { createAdapterKit, AdapterError } from "nextauth-adapter-kit";
import { hashVerificationTokens, sessionCache } from "nextauth-adapter-kit/plugins";

const ORIGIN = "http://localhost:3000";
const EMAIL = "esm@example.com";

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Remembers the cookies responses set and sends them back, like a browser. */
const jar = new Map();
function takeCookies(response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]) < Date.now()));
    if (expired || value === "") jar.delete(name);
    else jar.set(name, value);
  }
}

const kit = createAdapterKit({ plugins: [hashVerificationTokens({ sessionTokens: true }), sessionCache({ ttlMs: 60_000 })] });
let magicLink;
const config = {
  adapter: kit.authjs,
  basePath: "/auth",
  secret: "package-check-secret",
  trustHost: true,
  session: { strategy: "database" },
  providers: [{ id: "email", type: "email", name: "Email", maxAge: 600, sendVerificationRequest: ({ url }) => void (magicLink = url) }],
};

async function browse(path, form) {
  const headers = { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; ") };
  let body;
  if (form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(form).toString();
  }
  const response = await Auth(new Request(new URL(path, ORIGIN), { method: form ? "POST" : "GET", headers, body }), config);
  takeCookies(response);
  return response;
}

try {
  check(typeof AdapterError === "function", "AdapterError is not a named export");
  const { csrfToken } = await (await browse("/auth/csrf")).json();
  check(csrfToken, "no CSRF token");
  const signIn = await browse("/auth/signin/email", { email: EMAIL, csrfToken, callbackUrl: `${ORIGIN}/` });
  check(signIn.status === 302 && magicLink, `sign-in did not send a link (status ${signIn.status})`);
  await browse(magicLink);
  check(jar.has("authjs.session-token"), "opening the magic link did not sign in");
  const session = await (await browse("/auth/session")).json();
  check(session?.user?.email === EMAIL, `GET /auth/session: ${JSON.stringify(session)}`);
  const user = await kit.authjs.getUserByEmail(EMAIL);
  check(user?.emailVerified instanceof Date, "the user's e-mail is not marked verified");
  console.log(`esm: signed in ${session.user.email} through @auth/core on the embedded SQLite default`);
} finally {
  await kit.close();
}
