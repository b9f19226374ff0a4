/** Runs presetInZone.ts in a process five hours behind UTC, as a user whose servers run on New York time. */
import { signInByEmail } from "../../../examples/shared/signInByEmail";
import type { AuthjsAdapter } from "../../../src";
import { query } from "../../support/database";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

export interface InZone {
  /** The child's UTC offset in minutes (300: it really ran five hours behind). */
  offset: number;
  read: { session: { expires: string } };
  created: { sessionToken: string };
}

export async function kitInZone(preset: string, databaseUrl: string, sessionToken: string, expires: string, presetOptions: object = {}): Promise<InZone> {
  const script = join(__dirname, "presetInZone.ts");
  const env = { PATH: process.env.PATH ?? "", TZ: "America/New_York", PRESET: preset, PRESET_OPTIONS: JSON.stringify(presetOptions), DATABASE_URL: databaseUrl, SESSION_TOKEN: sessionToken, EXPIRES: expires };
  const { stdout } = await promisify(execFile)(process.execPath, ["-r", require.resolve("@swc-node/register"), script], { env, timeout: 60_000 });
  return JSON.parse(stdout) as InZone;
}

/**
 * Signs in through the old adapter (`withOld`), then checks that the kit with `preset`, five hours
 * behind UTC, reads that session's expiry as the adapter wrote it, and writes one as the adapter
 * does (UTC wall-clock in the zone-less column of `sessionTable`), which the adapter reads back alike.
 * `storedExpires` reads that column's text for a session token (PostgreSQL's by default).
 */
export async function expectSameInstantsInZone(
  preset: string,
  databaseUrl: string,
  sessionTable: string,
  withOld: <T>(fn: (adapter: AuthjsAdapter) => Promise<T>) => Promise<T>,
  { presetOptions = {}, storedExpires }: { presetOptions?: object; storedExpires?: (sessionToken: string) => Promise<string> } = {},
): Promise<void> {
  const { session } = await withOld((adapter) => signInByEmail(adapter, "dijkstra@example.com"));
  const expires = "2030-01-15T12:00:00.000Z";
  const inZone = await kitInZone(preset, databaseUrl, session.sessionToken, expires, presetOptions);
  expect(inZone.offset).toBe(300);
  expect(inZone.read.session.expires).toBe(session.expires.toISOString());
  const readPg = async (token: string) => (await query<{ expires: string }>(databaseUrl, `select "expires"::text as expires from "${sessionTable}" where "sessionToken" = $1`, [token]))[0]!.expires;
  expect(await (storedExpires ?? readPg)(inZone.created.sessionToken)).toMatch(/^2030-01-15 12:00:00(\.0+)?$/);
  await withOld(async (adapter) => {
    expect((await adapter.getSessionAndUser(inZone.created.sessionToken))?.session.expires.toISOString()).toBe(expires);
  });
}
