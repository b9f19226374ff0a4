/** Runs presetInZone.ts in a process five hours behind UTC, as a user whose servers run on New York time. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

export interface InZone {
  /** The child's UTC offset in minutes (300: it really ran five hours behind). */
  offset: number;
  read: { session: { expires: string } };
  created: { sessionToken: string };
}

export async function kitInZone(preset: string, databaseUrl: string, sessionToken: string, expires: string): Promise<InZone> {
  const script = join(__dirname, "presetInZone.ts");
  const env = { PATH: process.env.PATH ?? "", TZ: "America/New_York", PRESET: preset, DATABASE_URL: databaseUrl, SESSION_TOKEN: sessionToken, EXPIRES: expires };
  const { stdout } = await promisify(execFile)(process.execPath, ["-r", require.resolve("@swc-node/register"), script], { env, timeout: 60_000 });
  return JSON.parse(stdout) as InZone;
}
