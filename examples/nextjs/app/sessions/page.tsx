import { redirect } from "next/navigation";
import { currentSession } from "@/lib/auth";
import { readyKit } from "@/lib/kit";
import { signOutEverywhere, signOutOtherDevices } from "./actions";

export const dynamic = "force-dynamic";

export default async function Sessions({ searchParams }: { searchParams: Promise<{ signedOut?: string }> }) {
  const session = await currentSession();
  if (!session) redirect("/api/auth/signin?callbackUrl=%2Fsessions");
  const kit = await readyKit();
  // The list never holds a token: sessions are named by a digest (`tokenId`).
  const sessions = await kit.sessions.list(session.user.id, { current: session.sessionToken });
  const { signedOut } = await searchParams;
  return (
    <>
      <h1>Your sessions</h1>
      {signedOut !== undefined && <p role="status">Signed out {Number(signedOut)} other session(s).</p>}
      <p>
        <span data-testid="session-count">{sessions.length}</span> active session(s) for {session.user.email}.
      </p>
      <table>
        <thead>
          <tr><th>Session</th><th>Expires</th><th></th></tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.tokenId} data-testid="session-row">
              <td><code>{s.tokenId.slice(0, 12)}</code></td>
              <td>{s.expires.toUTCString()}</td>
              <td>{s.current && <span className="tag">this device</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <form action={signOutOtherDevices}>
          <button type="submit">Sign out other devices</button>
        </form>
        <form action={signOutEverywhere}>
          <button type="submit" className="danger">Sign out everywhere</button>
        </form>
      </p>
    </>
  );
}
