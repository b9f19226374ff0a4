import { currentSession } from "@/lib/auth";

export const dynamic = "force-dynamic";

export default async function Home() {
  const session = await currentSession();
  return (
    <>
      <h1>next-auth v4 on nextauth-adapter-kit</h1>
      <p>
        Database sessions on PostgreSQL, migrations run by the kit, a Redis-backed session cache, logging, metrics at{" "}
        <a href="/api/metrics">/api/metrics</a>.
      </p>
      {session ? (
        <p>
          Signed in as <b>{session.user.email}</b>. <a href="/protected">Your account</a> · <a href="/sessions">Your sessions</a>
        </p>
      ) : (
        <p>
          <a href="/api/auth/signin?callbackUrl=/protected">Sign in</a> with an e-mail link or the test OIDC provider.
        </p>
      )}
    </>
  );
}
