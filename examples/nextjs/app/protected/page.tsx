import { redirect } from "next/navigation";
import { currentSession } from "@/lib/auth";
import { devToolsEnabled } from "@/lib/config";
import { DEV_OIDC_PROVIDER_ID, DEV_OIDC_USER } from "@/lib/dev-oidc";
import { readyKit } from "@/lib/kit";

export const dynamic = "force-dynamic";

/** The accounts of known providers linked to this user (the kit looks each up by provider key). */
async function linkedAccounts(userId: string): Promise<string[]> {
  if (!devToolsEnabled()) return [];
  const kit = await readyKit();
  const account = await kit.call("getAccount", { provider: DEV_OIDC_PROVIDER_ID, providerAccountId: DEV_OIDC_USER.sub });
  return account?.userId === userId ? [`Dev OIDC (${DEV_OIDC_USER.email}, subject ${DEV_OIDC_USER.sub})`] : [];
}

export default async function Protected() {
  const session = await currentSession();
  if (!session) redirect("/api/auth/signin?callbackUrl=%2Fprotected");
  const accounts = await linkedAccounts(session.user.id);
  return (
    <>
      <h1>Your account</h1>
      <table>
        <tbody>
          <tr><th>E-mail</th><td data-testid="email">{session.user.email}</td></tr>
          <tr><th>Name</th><td>{session.user.name ?? "—"}</td></tr>
          <tr><th>User id</th><td><code>{session.user.id}</code></td></tr>
          <tr><th>Session expires</th><td data-testid="expires">{session.expires.toUTCString()}</td></tr>
          <tr>
            <th>Linked accounts</th>
            <td data-testid="accounts">{accounts.length > 0 ? accounts.join(", ") : "none"}</td>
          </tr>
        </tbody>
      </table>
      {devToolsEnabled() && accounts.length === 0 && (
        <p>
          <a href="/api/auth/signin?callbackUrl=%2Fprotected">Link the test OIDC account</a>: sign in with it while signed in here.
        </p>
      )}
      <p><a href="/sessions">Your sessions</a></p>
    </>
  );
}
