/**
 * Two app instances with `sessionCache` on one Redis topology (a Cluster, or Sentinel-managed):
 * the waits and checks the failover tests share.
 */
import { randomUUID } from "node:crypto";
import type { AdapterKit } from "../../src";

/** One app instance: its kit and the results of its cache lookups, in order. */
export interface CacheInstance {
  kit: AdapterKit;
  results: string[];
}

export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until a lookup on `i` is no longer bypassed (its cache trusts Redis). */
export const trusted = (i: CacheInstance) =>
  until("the cache trusts Redis", async () => {
    await i.kit.call("getSessionAndUser", { sessionToken: randomUUID() });
    return i.results.at(-1) !== "bypass";
  });

/** A new user with a one-hour session. */
export async function signIn(kit: AdapterKit, name = "Ada") {
  const user = await kit.call("createUser", { email: `${randomUUID()}@example.com`, emailVerified: null, name });
  const session = await kit.call("createSession", { sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + 3_600_000) });
  return { user, session };
}

/**
 * Once both trust Redis: two sessions signed in on `a` and cached through `b` (`b`'s next lookup of
 * `token` is a hit); `token` is the one a test signs out, `keptToken` the one it keeps.
 */
export async function twoCachedSessions(a: CacheInstance, b: CacheInstance, name?: string) {
  await Promise.all([trusted(a), trusted(b)]);
  const signedOut = await signIn(a.kit, name);
  const kept = await signIn(a.kit, name);
  const token = { sessionToken: signedOut.session.sessionToken };
  const keptToken = { sessionToken: kept.session.sessionToken };
  for (const t of [token, keptToken]) await b.kit.call("getSessionAndUser", t);
  b.results.length = 0;
  expect(await b.kit.call("getSessionAndUser", token)).toMatchObject({ user: { id: signedOut.user.id } });
  expect(b.results).toEqual(["hit"]);
  return { signedOut, kept, token, keptToken };
}

/**
 * After a failover whose new master still holds `signedOut`'s cached value: once both instances
 * trust Redis again, neither serves that session (a miss, from the database), caching resumes for
 * `kept` (a late reconnect can refuse a first fill: a few lookups), and a sign-out of it is seen.
 */
export async function expectSafeAfterFailover(a: CacheInstance, b: CacheInstance, signedOut: { sessionToken: string }, kept: { sessionToken: string }) {
  await Promise.all([trusted(a), trusted(b)]);
  for (const i of [b, a]) {
    i.results.length = 0;
    expect(await i.kit.call("getSessionAndUser", signedOut)).toBeNull();
    expect(i.results).toEqual(["miss"]);
  }
  await until("caching resumes", async () => {
    b.results.length = 0;
    await b.kit.call("getSessionAndUser", kept);
    await b.kit.call("getSessionAndUser", kept);
    return b.results.at(-1) === "hit";
  });
  await a.kit.call("deleteSession", kept);
  expect(await b.kit.call("getSessionAndUser", kept)).toBeNull();
}
