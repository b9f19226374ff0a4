/**
 * `npm run example:nextjs`: builds examples/nextjs (the kit, the app's dependencies, `next build`)
 * and starts it in production mode on http://localhost:3000 (PORT to change), with the development
 * sign-in tools on (loopback only). DATABASE_URL defaults to a `nak_example_nextjs` database on the
 * local PostgreSQL (created when missing), REDIS_URL to the local Redis. Ctrl-C stops it.
 */
import { createHash, randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleDatabase } from "../examples/shared/postgres";
import { buildApp, startApp, untilServing } from "./nextjs-example";

/** A stable value for this local demo only (derived from a label, so restarts keep working). */
function demoSecret(label: string): string {
  return createHash("sha256").update(`nextauth-adapter-kit example:nextjs demo, local only: ${label}`).digest("base64");
}

async function main(): Promise<void> {
  const log = join(tmpdir(), "nak-example-nextjs.log");
  console.log(`Building examples/nextjs (output in ${log}) ...`);
  buildApp(log);
  const port = Number(process.env.PORT ?? 3000);
  const url = `http://localhost:${port}`;
  const app = startApp(
    port,
    {
      DATABASE_URL: await exampleDatabase("nextjs"),
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? randomBytes(32).toString("base64url"),
      AUTH_DEV_TOOLS: "1",
      // Fixed local-demo values, so sessions and linked accounts survive a restart. Never reuse them.
      AUTH_SESSION_CACHE_SECRET: process.env.AUTH_SESSION_CACHE_SECRET ?? demoSecret("session cache"),
      AUTH_ACCOUNT_KEYS: process.env.AUTH_ACCOUNT_KEYS ?? `demo:${demoSecret("account tokens")}`,
    },
    log,
    true,
  );
  const stop = () => void app.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await untilServing(app);
  console.log(`\nThe example app is running: open ${url}\n  sign in with any e-mail address, then open the link from ${url}/dev/mailbox\n  Ctrl-C stops it.\n`);
  process.exitCode = (await app.exited) ?? 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
