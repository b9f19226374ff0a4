/**
 * Run as its own process with TZ set (`TZ=America/New_York node -r @swc-node/register ...`): the
 * kit on a Drizzle layout reads the session DATABASE_URL's SESSION_TOKEN names and creates one
 * expiring at EXPIRES, then prints both as JSON. A jest worker cannot change its own zone.
 */
import { createAdapterKit, drizzleAdapterEntities } from "../../../src";

async function main(): Promise<void> {
  const kit = createAdapterKit({ database: process.env.DATABASE_URL, entities: drizzleAdapterEntities(), sessionTokens: "raw" });
  try {
    const read = await kit.authjs.getSessionAndUser(process.env.SESSION_TOKEN!);
    const created = await kit.authjs.createSession({ sessionToken: `${process.env.SESSION_TOKEN}-zone`, userId: read!.user.id, expires: new Date(process.env.EXPIRES!) });
    const offset = new Date(2026, 0, 1).getTimezoneOffset();
    process.stdout.write(JSON.stringify({ offset, read, created }));
  } finally {
    await kit.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(String(error));
  process.exitCode = 1;
});
