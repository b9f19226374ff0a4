import { notFound } from "next/navigation";
import { devToolsEnabled } from "@/lib/config";
import { messages } from "@/lib/mailbox";

export const dynamic = "force-dynamic";

/** DEVELOPMENT ONLY: every sign-in link the e-mail provider "sent". A 404 unless the dev tools are on. */
export default function Mailbox() {
  if (!devToolsEnabled()) notFound();
  const inbox = messages();
  return (
    <>
      <h1>Development mailbox</h1>
      <p className="dev">
        Development only: the sign-in links the app would have e-mailed, for every address. Switched off in production builds.
      </p>
      {inbox.length === 0 ? (
        <p>No messages yet. <a href="/api/auth/signin">Request a sign-in link.</a></p>
      ) : (
        <table>
          <thead>
            <tr><th>To</th><th>Subject</th><th>Sent</th><th>Link</th></tr>
          </thead>
          <tbody>
            {inbox.map((m) => (
              <tr key={m.id} data-testid="message">
                <td>{m.to}</td>
                <td>{m.subject}</td>
                <td>{m.sentAt.toISOString().slice(11, 19)} UTC</td>
                <td><a href={m.url} data-testid="sign-in-link">Sign in</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
