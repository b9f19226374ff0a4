/**
 * Run as its own process with TZ set (`TZ=America/New_York node -r @swc-node/register ...`): the
 * kit with the table preset PRESET (`drizzleAdapterEntities`, `prismaAdapterEntities`; called with
 * the JSON PRESET_OPTIONS) reads the
 * session DATABASE_URL's SESSION_TOKEN names and creates one expiring at EXPIRES, then prints
 * both as JSON. A jest worker cannot change its own zone.
 */
import * as kitApi from "../../../src";

async function main(): Promise<void> {
  const preset = kitApi[process.env.PRESET as "drizzleAdapterEntities" | "prismaAdapterEntities"];
  const kit = kitApi.createAdapterKit({ database: process.env.DATABASE_URL, entities: preset(JSON.parse(process.env.PRESET_OPTIONS ?? "{}")), sessionTokens: "raw" });
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
