/**
 * A wave of campaign `replicas`'s traffic model (the readers' side is soak/workers/userTraffic.ts):
 * every user is signed in on one device before the wave, and each does, with the probabilities of
 * USER_MIX, at most one of each of these during it, in this order at random times: sign in on a
 * second device, a rename, a session extension, a sign-out (of the first device), an account
 * deletion. Each user's writes are made by one instance, chosen at random; reads come to both.
 * The outage wave uses the same mix (campaign 3's `writers` filter is not needed: writes are rare).
 */
import type { AdapterKit } from "../../src";
import { pool } from "./concurrency";
import { sharedNow } from "./clock";
import type { WaveSpec, WriteOp } from "../workers/protocol";

/**
 * Chance per user per wave of each write: about 0.12 writes per user per wave, while each user makes
 * dozens to hundreds of requests per wave (the report's readsPerWrite says how many a run made), as
 * a real user who signs in once and browses makes hundreds of requests per write (Auth.js extends a
 * session at most once a day by default).
 */
export const USER_MIX = { secondDeviceSignIn: 0.05, rename: 0.015, extend: 0.02, signOut: 0.03, deleteAccount: 0.005 };

const READERS_PER_WORKER = 4;

export async function seedUserWave(kit: AdapterKit, id: number, users: number, plan: { durationMs?: number; writesFrom: number; writesTo: number }): Promise<WaveSpec> {
  const userIds: string[] = [];
  const tokens: string[] = [];
  const tokenUser: number[] = [];
  const seeded: boolean[] = [];
  const expiresBase = Date.now() + 3_600_000;
  await pool(users, 8, async (u) => {
    const user = await kit.authjs.createUser({ email: `w${id}.u${u}.${process.pid}@replicas.example`, emailVerified: null, name: `w${id}-u${u}-v0` });
    userIds[u] = user.id;
    for (const t of [2 * u, 2 * u + 1]) {
      tokens[t] = `w${id}-t${t}-${process.pid}-${Math.random().toString(36).slice(2)}`;
      tokenUser[t] = u;
      seeded[t] = t === 2 * u;
    }
    await kit.authjs.createSession({ sessionToken: tokens[2 * u]!, userId: user.id, expires: new Date(expiresBase) });
  });
  const writes: WaveSpec["writes"] = [];
  const chance = (p: number) => Math.random() < p;
  for (let u = 0; u < users; u++) {
    const facade: WriteOp["facade"] = chance(0.5) ? "authjs" : "legacy";
    const [first, second] = [2 * u, 2 * u + 1];
    const script: Array<Omit<WriteOp, "at">> = [];
    if (chance(USER_MIX.secondDeviceSignIn)) script.push({ kind: "createSession", target: second, facade, expires: expiresBase });
    if (chance(USER_MIX.rename)) script.push({ kind: "updateUser", target: u, facade, version: 1 });
    if (chance(USER_MIX.extend)) script.push({ kind: "updateSession", target: first, facade, expires: expiresBase + 60_000 });
    if (chance(USER_MIX.signOut)) script.push({ kind: "deleteSession", target: first, facade });
    if (chance(USER_MIX.deleteAccount)) script.push({ kind: "deleteUser", target: u, facade });
    const times = script.map(() => plan.writesFrom + Math.random() * (plan.writesTo - plan.writesFrom)).sort((a, b) => a - b);
    const worker = chance(0.5) ? 0 : 1;
    script.forEach((op, i) => writes.push({ ...op, at: times[i]!, worker }));
  }
  return { id, startAt: sharedNow() + 300, tokens, tokenUser, userIds, writes, durationMs: plan.durationMs, readers: READERS_PER_WORKER, traffic: "users", seeded };
}
