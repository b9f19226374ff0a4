/**
 * Two app instances (two kits) on one PostgreSQL primary and a streaming replica that lags 1.5 s
 * (recovery_min_apply_delay), each with sessionCache on a Sentinel-managed Redis (one master, one
 * sentinel, through ioredis's `sentinels` option). A write on A carries its WAL position in the
 * invalidation broadcast, so B never reads the old rows from the lagging replica.
 */
import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { sessionCache } from "../../plugins";
import { createAdapterKit, type AdapterKit } from "../../src";
import { SessionTokenHasher } from "../../src/kernel/sessionTokens";
import { missBucket } from "../../src/persistence/mikro-orm/replicas/missBuckets";
import { lookupKey } from "../../src/persistence/mikro-orm/stores/replicaKeys";

/** Session tokens are stored hashed (the kit's default): rows are looked up by their stored form. */
const SESSION_SECRET = "replica-session-secret-0123456789abcdef";
const stored = (token: string) => new SessionTokenHasher(SESSION_SECRET).stored(token);
import type { KitEvents } from "../../src/plugin-api";
import { withClient } from "../support/database";
import { PgReplicaSet } from "../support/pgReplica";
import { RedisSentinelSet, SENTINEL_MASTER_NAME } from "../support/redisCluster";

let set: PgReplicaSet;
let sentinel: RedisSentinelSet;
const opened: Array<{ kit: AdapterKit; redis: Redis }> = [];
const prefix = `nak:replicas:${process.pid}:`;

interface Instance {
  kit: AdapterKit;
  results: string[];
  reads: Array<KitEvents["replica.read"]>;
  notices: Array<KitEvents["replica.notice"]>;
}

function instance(): Instance {
  const redis = new Redis({ sentinels: sentinel.sentinels, name: SENTINEL_MASTER_NAME, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const kit = createAdapterKit({
    database: { url: set.primaryUrl, replicas: [set.replicaUrl], maxReplicaLagMs: 10_000, replicaPollMs: 50 },
    plugins: [sessionCache({ redis, prefix, secret: "replica-test-secret-0123456789abcdef-0123" })],
    secret: SESSION_SECRET,
  });
  opened.push({ kit, redis });
  const made: Instance = { kit, results: [], reads: [], notices: [] };
  kit.events.on("cache.request", (e) => made.results.push(e.result));
  kit.events.on("replica.read", (e) => made.reads.push(e));
  kit.events.on("replica.notice", (e) => made.notices.push(e));
  return made;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const replicaHas = (sql: string, values: unknown[]) => withClient(set.replicaUrl, async (c) => Number((await c.query(sql, values)).rows[0].n) > 0);

let a: Instance;
let b: Instance;

beforeAll(async () => {
  [set, sentinel] = await Promise.all([PgReplicaSet.start(), RedisSentinelSet.start()]);
  const setup = createAdapterKit({ database: set.primaryUrl });
  await setup.migrate();
  await setup.close();
  a = instance();
  b = instance();
  // Both caches trust Redis (through Sentinel): lookups are no longer bypassed.
  for (const i of [a, b]) {
    await until("the cache trusts Redis", async () => {
      await i.kit.call("getSessionAndUser", { sessionToken: randomUUID() });
      return i.results.at(-1) !== "bypass";
    });
  }
}, 120_000);

afterEach(() => set.setApplyDelay(0));

afterAll(async () => {
  for (const { kit, redis } of opened) {
    await kit.close();
    redis.disconnect();
  }
  await Promise.all([set?.destroy(), sentinel?.destroy()]);
});

async function signIn(kit: AdapterKit, name: string) {
  const user = await kit.call("createUser", { email: `${randomUUID()}@example.com`, emailVerified: null, name });
  const session = await kit.call("createSession", { sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + 3_600_000) });
  return { user, session };
}

test("through Sentinel, a session cached on B is a hit there, and B's hot reads use the replica", async () => {
  const { user, session } = await signIn(a.kit, "Sentinel");
  await set.waitForReplay();
  await b.kit.call("getSessionAndUser", { sessionToken: session.sessionToken });
  b.results.length = 0;
  expect(await b.kit.call("getSessionAndUser", { sessionToken: session.sessionToken })).toMatchObject({ user: { id: user.id } });
  expect(b.results).toEqual(["hit"]);
  await until("a replica read on B", async () => {
    expect(await b.kit.call("getUser", { id: user.id })).toMatchObject({ name: "Sentinel" });
    return b.reads.some((r) => r.target === "replica");
  });
  // B was told at its first hot read that the broadcast carries other instances' writes.
  expect(b.notices.map((n) => n.crossInstance)).toEqual(["broadcast"]);
});

test("a user changed on A: B answers with the change and caches none of that user's sessions in Redis while a replica may be behind", async () => {
  const { user, session } = await signIn(a.kit, "Before hold");
  const token = { sessionToken: session.sessionToken };
  await set.waitForReplay();
  await b.kit.call("getSessionAndUser", token);
  b.results.length = 0;
  await b.kit.call("getSessionAndUser", token);
  expect(b.results).toEqual(["hit"]);

  await a.kit.call("updateUser", { id: user.id, name: "After hold" });
  b.results.length = 0;
  // A read that began after the invalidation could come from a replica that has not replayed the
  // change (its instance not told yet): what it read must not be cached for everyone.
  expect(await b.kit.call("getSessionAndUser", token)).toMatchObject({ user: { name: "After hold" } });
  expect(await b.kit.call("getSessionAndUser", token)).toMatchObject({ user: { name: "After hold" } });
  expect(b.results).toEqual(["miss", "miss"]);
});

test("a session's expiry extended on A (Auth.js's sliding sessions) is cached again on B at once", async () => {
  const { session } = await signIn(a.kit, "Sliding");
  const token = { sessionToken: session.sessionToken };
  await set.waitForReplay();
  const later = new Date(session.expires.getTime() + 3_600_000);
  await a.kit.call("updateSession", { ...token, expires: later });
  b.results.length = 0;
  expect((await b.kit.call("getSessionAndUser", token))?.session.expires).toEqual(later);
  expect((await b.kit.call("getSessionAndUser", token))?.session.expires).toEqual(later);
  expect(b.results).toEqual(["miss", "hit"]);
});

test("sign-out on A, read on B: never served, though the lagging replica still holds the session", async () => {
  const { user, session } = await signIn(a.kit, "Out");
  await set.waitForReplay();
  const token = { sessionToken: session.sessionToken };
  expect(await b.kit.call("getSessionAndUser", token)).toMatchObject({ user: { id: user.id } });
  await set.setApplyDelay(1_500);

  await a.kit.call("deleteSession", token);
  expect(await b.kit.call("getSessionAndUser", token)).toBeNull();
  expect(await b.kit.call("getSessionAndUser", token)).toBeNull();
  expect(await replicaHas(`select count(*) as n from "sessions" where "session_token" = $1`, [stored(session.sessionToken)])).toBe(true);
});

test("user update on A: B never shows the old user, from its cache or from the lagging replica", async () => {
  const { user, session } = await signIn(a.kit, "Old name");
  await set.waitForReplay();
  const token = { sessionToken: session.sessionToken };
  expect(await b.kit.call("getSessionAndUser", token)).toMatchObject({ user: { name: "Old name" } });
  expect(await b.kit.call("getUser", { id: user.id })).toMatchObject({ name: "Old name" });
  await set.setApplyDelay(1_500);

  await a.kit.call("updateUser", { id: user.id, name: "New name" });
  expect(await b.kit.call("getSessionAndUser", token)).toMatchObject({ user: { name: "New name" } });
  // getUser is not cached: this is the replica read itself, fenced by the WAL position A sent.
  expect(await b.kit.call("getUser", { id: user.id })).toMatchObject({ name: "New name" });
  expect(await b.kit.call("getUserByEmail", { email: user.email! })).toMatchObject({ name: "New name" });
  expect(await replicaHas(`select count(*) as n from "users" where "id" = $1 and "name" = 'Old name'`, [user.id])).toBe(true);
});

test("created or re-keyed on A under lag: B finds it at once (its replica's 'not found' is not believed)", async () => {
  const { user } = await signIn(a.kit, "Fresh");
  await set.waitForReplay();
  await set.setApplyDelay(1_500);
  const token = randomUUID();
  await a.kit.call("createSession", { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 3_600_000) });
  expect(await b.kit.call("getSessionAndUser", { sessionToken: token })).toMatchObject({ user: { id: user.id } });
  const email = `${randomUUID()}@example.com`;
  await a.kit.call("updateUser", { id: user.id, email });
  expect(await b.kit.call("getUserByEmail", { email })).toMatchObject({ id: user.id });
  expect(await replicaHas(`select count(*) as n from "sessions" where "session_token" = $1`, [stored(token)])).toBe(false);
});

test("a token nobody created is answered by the replica once it has replayed every creation", async () => {
  await set.waitForReplay();
  b.reads.length = 0;
  await until("an unknown token answered by the replica", async () => {
    expect(await b.kit.call("getSessionAndUser", { sessionToken: randomUUID() })).toBeNull();
    return b.reads.some((r) => r.target === "replica");
  });
});

test("a signed-out token is answered by B's replica while A's new sign-in is not replayed yet; the new session is found at once", async () => {
  const { user, session } = await signIn(a.kit, "Gone");
  const gone = { sessionToken: session.sessionToken };
  await a.kit.call("deleteSession", gone);
  await set.waitForReplay();
  await set.setApplyDelay(3_000);
  // A new sign-in on A whose token falls in another bucket than the signed-out one (in the same
  // bucket, a miss for either waits for the sign-in's replay, by design).
  let token: string;
  do token = randomUUID();
  while (missBucket(stored(token)) === missBucket(stored(gone.sessionToken)));
  await a.kit.call("createSession", { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 3_600_000) });

  // Every read of the signed-out token is null; one soon comes from the replica (once B's poll has
  // seen it replay the sign-out), though the replica has not replayed A's sign-in.
  b.reads.length = 0;
  await until("the signed-out token answered by the replica", async () => {
    expect(await b.kit.call("getSessionAndUser", gone)).toBeNull();
    return b.reads.some((r) => r.target === "replica");
  }, 2_000);
  // The new session's own bucket holds: the replica's "not found" for it goes to the primary.
  b.reads.length = 0;
  expect(await b.kit.call("getSessionAndUser", { sessionToken: token })).toMatchObject({ user: { id: user.id } });
  expect(b.reads).toEqual([{ target: "primary", reason: "miss" }]);
  expect(await replicaHas(`select count(*) as n from "sessions" where "session_token" = $1`, [stored(token)])).toBe(false);
});

test("an e-mail nobody signed up with is answered by B's replica while A's new sign-up is not replayed; the new user is found at once", async () => {
  await set.waitForReplay();
  await set.setApplyDelay(3_000);
  // A sign-up on A whose keys (its id, its e-mail, its account) fall in other buckets than the
  // unknown e-mail B is asked about (in the same bucket, that miss waits for the replay, by design).
  const unknown = `${randomUUID()}@example.com`;
  const taken = new Set([missBucket(lookupKey.email(unknown))]);
  let email: string;
  do email = `${randomUUID()}@example.com`;
  while (taken.has(missBucket(lookupKey.email(email))));
  const user = await a.kit.call("createUser", { email, emailVerified: null, name: "New" });
  const account = { userId: user.id, type: "oauth" as const, provider: "github", providerAccountId: randomUUID() };
  await a.kit.call("linkAccount", account);
  expect([lookupKey.userId(user.id), lookupKey.account(account.provider, account.providerAccountId)].map(missBucket)).not.toContain([...taken][0]);

  // The unknown e-mail: null every time, and soon from the replica (once B's poll has seen it
  // replay what came before), though the replica has not replayed A's sign-up.
  b.reads.length = 0;
  await until("the unknown e-mail answered by the replica", async () => {
    expect(await b.kit.call("getUserByEmail", { email: unknown })).toBeNull();
    return b.reads.some((r) => r.target === "replica");
  }, 2_000);
  expect(await replicaHas(`select count(*) as n from "users" where "id" = $1`, [user.id])).toBe(false);

  // The new user's own keys hold: the replica's "not found" for each goes to the primary.
  b.reads.length = 0;
  expect(await b.kit.call("getUserByEmail", { email })).toMatchObject({ id: user.id });
  expect(await b.kit.call("getUser", { id: user.id })).toMatchObject({ email });
  expect(await b.kit.call("getUserByAccount", { provider: account.provider, providerAccountId: account.providerAccountId })).toMatchObject({ id: user.id });
  expect(await b.kit.call("getAccount", { provider: account.provider, providerAccountId: account.providerAccountId })).toMatchObject({ userId: user.id });
  expect(b.reads).toEqual(Array.from({ length: 4 }, () => ({ target: "primary", reason: "miss" })));
}, 30_000);
