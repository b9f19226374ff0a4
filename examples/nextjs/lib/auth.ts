/**
 * next-auth v4 options: the kit's adapter, database sessions, the e-mail provider (into the dev
 * mailbox) and the test OIDC provider, both only while the development tools are on.
 */
import type { AuthOptions } from "next-auth";
import type { Provider } from "next-auth/providers/index";
import { cookies } from "next/headers";
import { getServerSession } from "next-auth";
import { devToolsEnabled } from "./config";
import { devOidc, DEV_OIDC_PROVIDER_ID } from "./dev-oidc";
import { readyKit } from "./kit";
import { deliver } from "./mailbox";

export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

/** A link to the mailbox instead of an SMTP server: the e-mail provider, without nodemailer. */
function mailboxEmailProvider(): Provider {
  return {
    id: "email",
    type: "email",
    name: "Email",
    server: "",
    from: "Example app <no-reply@example.test>",
    maxAge: 10 * 60,
    options: {},
    async sendVerificationRequest({ identifier, url, expires }: { identifier: string; url: string; expires: Date }) {
      deliver({ to: identifier, subject: "Sign in to the example app", url, expires });
    },
  } as unknown as Provider;
}

async function devOidcProvider(): Promise<Provider> {
  const { issuer, clientId, clientSecret } = await devOidc();
  return {
    id: DEV_OIDC_PROVIDER_ID,
    name: "Dev OIDC",
    type: "oauth",
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile: (claims: { sub: string; email: string; name: string }) => ({ id: claims.sub, email: claims.email, name: claims.name, image: null }),
  } as Provider;
}

/** Built per request (cheap): the test provider's issuer is only known once it listens. */
export async function authOptions(): Promise<AuthOptions> {
  const kit = await readyKit();
  const providers: Provider[] = [];
  if (devToolsEnabled()) providers.push(mailboxEmailProvider(), await devOidcProvider());
  return {
    adapter: kit.authjs,
    session: { strategy: "database", maxAge: SESSION_MAX_AGE_S, updateAge: 24 * 60 * 60 },
    providers,
    callbacks: {
      // Database sessions: expose the user's id to the pages.
      session: ({ session, user }) => ({ ...session, user: { ...session.user, id: user.id } }),
    },
    logger: {
      // next-auth logs errors with their metadata (which may hold the e-mail); keep the code and message only.
      error: (code, metadata) => console.error(`[next-auth] ${code}: ${(metadata as { message?: string })?.message ?? ""}`),
      warn: (code) => console.warn(`[next-auth] ${code}`),
      debug: () => undefined,
    },
  };
}

export interface SignedIn {
  user: { id: string; email: string; name?: string | null };
  /** The session's expiry as stored (next-auth leaves it out of server-component sessions). */
  expires: Date;
  /** The raw session token from this request's cookie (to mark "this device", or keep it on revoke). */
  sessionToken: string;
}

/** The signed-in user of this request, or null. */
export async function currentSession(): Promise<SignedIn | null> {
  const session = await getServerSession(await authOptions());
  const user = session?.user as { id?: string; email?: string; name?: string | null } | undefined;
  if (!session || !user?.id || !user.email) return null;
  const jar = await cookies();
  const sessionToken = jar.get("__Secure-next-auth.session-token")?.value ?? jar.get("next-auth.session-token")?.value;
  if (!sessionToken) return null;
  // Answered by the session cache: next-auth just read the same session.
  const stored = await (await readyKit()).call("getSessionAndUser", { sessionToken });
  if (!stored) return null;
  return { user: { id: user.id, email: user.email, name: user.name }, expires: stored.session.expires, sessionToken };
}
