import { randomBytes } from "node:crypto";
import { startDevOidc, type DevOidcUser } from "./server";

export const DEV_OIDC_PROVIDER_ID = "dev-oidc";
export const DEV_OIDC_CLIENT_ID = "nextjs-example";

/** The provider's one test user. Its e-mail differs from any you type, so linking is by session, not by address. */
export const DEV_OIDC_USER: DevOidcUser = { sub: "dev-user-1", email: "grace@idp.example.test", name: "Grace (test IdP)" };

export interface DevOidcClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

const KEY = Symbol.for("nextauth-adapter-kit.example.dev-oidc");
type Holder = { started?: Promise<DevOidcClient> };
const holder = ((globalThis as Record<symbol, Holder>)[KEY] ??= {});

/**
 * Starts the test provider once per process (on DEV_OIDC_PORT, default a free port) and returns
 * what the next-auth provider needs. Call only while `devToolsEnabled()`.
 */
export function devOidc(): Promise<DevOidcClient> {
  holder.started ??= (async () => {
    const clientSecret = randomBytes(24).toString("base64url");
    const appUrl = (process.env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/$/, "");
    const { issuer } = await startDevOidc({
      clientId: DEV_OIDC_CLIENT_ID,
      clientSecret,
      redirectUri: `${appUrl}/api/auth/callback/${DEV_OIDC_PROVIDER_ID}`,
      user: DEV_OIDC_USER,
      port: Number(process.env.DEV_OIDC_PORT ?? 0),
    });
    return { issuer, clientId: DEV_OIDC_CLIENT_ID, clientSecret };
  })();
  holder.started.catch(() => (holder.started = undefined));
  return holder.started;
}
