/**
 * Read replicas on a real PostgreSQL primary and streaming replica of the test's own (initdb,
 * pg_basebackup -R, pg_ctl), with `recovery_min_apply_delay` making the replica really lag.
 */
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import pino from "pino";
import { logging, metrics } from "../../plugins";
import { randomBytes } from "node:crypto";
import { createAdapterKit, createEntities, nextAuthV3Entities, type AdapterKit, type AdapterKitOptions, type DatabaseOption } from "../../src";
import { SessionTokenHasher } from "../../src/kernel/sessionTokens";

/** Session tokens are stored hashed (the kit's default): rows are looked up by their stored form. */
const SESSION_SECRET = "replica-session-secret-0123456789abcdef";
const stored = (token: string) => new SessionTokenHasher(SESSION_SECRET).stored(token);
import type { KitEvents } from "../../src/plugin-api";
import { withClient } from "../support/database";
import { PgReplicaSet } from "../support/pgReplica";

let set: PgReplicaSet;
const kits: AdapterKit[] = [];

type ReadEvent = KitEvents["replica.read"];
type StateEvent = KitEvents["replica.state"];

/** A kit on the set, recording where its hot reads went and what it said about the replica. */
function kitOn(options: { maxReplicaLagMs: number; database?: DatabaseOption; plugins?: AdapterKitOptions["plugins"]; entities?: AdapterKitOptions["entities"]; synchronize?: boolean }) {
  const kit = createAdapterKit({
    database: options.database ?? { type: "postgres", url: set.primaryUrl, replicas: [set.replicaUrl], maxReplicaLagMs: options.maxReplicaLagMs, replicaPollMs: 50 },
    plugins: options.plugins,
    entities: options.entities,
    synchronize: options.synchronize,
    secret: SESSION_SECRET,
  });
  kits.push(kit);
  const reads: ReadEvent[] = [];
  const states: StateEvent[] = [];
  const notices: string[] = [];
  kit.events.on("replica.read", (e) => reads.push(e));
  kit.events.on("replica.state", (e) => states.push(e));
  kit.events.on("replica.notice", (e) => notices.push(e.message));
  return { kit, adapter: kit.authjs, reads, states, notices };
}

const onReplica = (reads: ReadEvent[]) => reads.filter((r) => r.target === "replica").length;

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const replicaCount = (sql: string, values: unknown[]) => withClient(set.replicaUrl, async (c) => Number((await c.query(sql, values)).rows[0].n));

beforeAll(async () => {
  set = await PgReplicaSet.start();
  const setup = createAdapterKit({ database: set.primaryUrl });
  await setup.migrate();
  await setup.close();
  await set.waitForReplay();
}, 120_000);

afterEach(async () => {
  await Promise.all(kits.splice(0).map((k) => k.close()));
  if (!set.isReplicaRunning) await set.startReplica();
  await set.setApplyDelay(0);
});

afterAll(async () => {
  await set?.destroy();
});

test("hot reads are answered by the replica once it has the rows", async () => {
  const { adapter, reads, notices } = kitOn({ maxReplicaLagMs: 5_000 });
  const user = await adapter.createUser!({ email: "calm@example.com", emailVerified: null, name: "Calm" });
  await set.waitForReplay();
  reads.length = 0;
  await until("a replica read", async () => {
    expect(await adapter.getUser!(user.id)).toMatchObject({ email: "calm@example.com" });
    return onReplica(reads) > 0;
  });
  expect(await adapter.getUserByEmail!("calm@example.com")).toMatchObject({ id: user.id });
  // Told once, at the first hot read: without the sessionCache broadcast, the cross-instance bound.
  expect(notices).toHaveLength(1);
  expect(notices[0]).toMatch(/ANOTHER instance/);
});

test("every configuration form reads from the replica: URL object, TypeORM-style fields, MikroORM's own replicas option", async () => {
  const setup = kitOn({ maxReplicaLagMs: 5_000 });
  const user = await setup.adapter.createUser!({ email: "forms@example.com", emailVerified: null, name: "Forms" });
  await set.waitForReplay();
  const forms: DatabaseOption[] = [
    { url: set.primaryUrl, replicas: [set.replicaUrl], replicaPollMs: 50 },
    { type: "postgres", url: set.primaryUrl, replicas: [{ host: "127.0.0.1", port: set.replicaPort, database: set.database, username: "postgres" }], replicaPollMs: 50 },
    { driver: PostgreSqlDriver, clientUrl: set.primaryUrl, replicas: [{ clientUrl: set.replicaUrl }] },
  ];
  for (const database of forms) {
    const { adapter, reads } = kitOn({ maxReplicaLagMs: 5_000, database });
    await until("a replica read", async () => {
      expect(await adapter.getUser!(user.id)).toMatchObject({ name: "Forms" });
      return onReplica(reads) > 0;
    });
  }
});

test("read your writes on one instance while the replica lags 1.5 s behind", async () => {
  const { adapter, reads } = kitOn({ maxReplicaLagMs: 10_000 });
  const user = await adapter.createUser!({ email: "ryw@example.com", emailVerified: null, name: "Before" });
  const expires = new Date(Date.now() + 3_600_000);
  await adapter.createSession!({ sessionToken: "ryw-old", userId: user.id, expires });
  await set.waitForReplay();
  await until("replica in use", async () => (await adapter.getUser!(user.id), onReplica(reads) > 0));
  await set.setApplyDelay(1_500);

  // Created under lag: the replica misses it, the primary has it.
  await adapter.createSession!({ sessionToken: "ryw-new", userId: user.id, expires });
  expect(await adapter.getSessionAndUser!("ryw-new")).toMatchObject({ session: { userId: user.id }, user: { name: "Before" } });

  // Updated under lag: the replica has the old rows, the kit never shows them.
  await adapter.updateUser!({ id: user.id, name: "After" });
  expect(await adapter.getUser!(user.id)).toMatchObject({ name: "After" });
  expect(await adapter.getUserByEmail!("ryw@example.com")).toMatchObject({ name: "After" });
  expect(await adapter.getSessionAndUser!("ryw-old")).toMatchObject({ user: { name: "After" } });
  const later = new Date(Date.now() + 7_200_000);
  await adapter.updateSession!({ sessionToken: "ryw-old", expires: later });
  expect((await adapter.getSessionAndUser!("ryw-old"))!.session.expires.getTime()).toBe(later.getTime());

  // Deleted under lag: never served again.
  await adapter.deleteSession!("ryw-old");
  expect(await adapter.getSessionAndUser!("ryw-old")).toBeNull();

  // The replica really was behind all along: it still holds the old session and the old name, not the new session.
  expect(await replicaCount(`select count(*) as n from "sessions" where "session_token" = $1`, [stored("ryw-old")])).toBe(1);
  expect(await replicaCount(`select count(*) as n from "sessions" where "session_token" = $1`, [stored("ryw-new")])).toBe(0);
  expect(await replicaCount(`select count(*) as n from "users" where "id" = $1 and "name" = 'Before'`, [user.id])).toBe(1);
});

test("a replica that lags past maxReplicaLagMs is skipped, and used again once it catches up", async () => {
  const { adapter, reads, states } = kitOn({ maxReplicaLagMs: 400 });
  const user = await adapter.createUser!({ email: "lag@example.com", emailVerified: null, name: "Lag" });
  await set.waitForReplay();
  await until("replica in use", async () => (await adapter.getUser!(user.id), onReplica(reads) > 0));

  // Long enough that the replica stays behind while the reads below run, however busy the machine;
  // setting it back to 0 afterwards lets it catch up at once.
  await set.setApplyDelay(10_000);
  // Writes the replica holds back: its view falls behind the primary's by the delay.
  const other = await adapter.createUser!({ email: "lag2@example.com", emailVerified: null, name: "Other" });
  // The latest state, not any state seen so far: an earlier test's lag may have left a "skipped" behind.
  await until("replica skipped as lagging", () => {
    const latest = states.at(-1);
    return latest?.state === "skipped" && latest.reason === "lagging";
  });
  reads.length = 0;
  for (let i = 0; i < 5; i++) expect(await adapter.getUser!(user.id)).toMatchObject({ name: "Lag" });
  expect(reads.filter((r) => !(r.target === "primary" && r.reason === "no-usable-replica"))).toEqual([]);

  await set.setApplyDelay(0);
  await until("replica in use again", () => states.at(-1)?.state === "in-use");
  reads.length = 0;
  await until("a replica read again", async () => (await adapter.getUser!(other.id), onReplica(reads) > 0));
});

test("replica stopped mid-run: every call succeeds, and reads return to it once it is back", async () => {
  const lines: Array<{ level: number; msg: string; replica?: string; reason?: string }> = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const metricsPlugin = metrics({ tracing: false });
  const { adapter, reads, states } = kitOn({ maxReplicaLagMs: 5_000, plugins: [metricsPlugin, logging({ logger, level: "trace" })] });
  const user = await adapter.createUser!({ email: "outage@example.com", emailVerified: null, name: "Outage" });
  // A user nobody writes during the run: reads about it can go to the replica whenever it is usable.
  const reader = await adapter.createUser!({ email: "reader@example.com", emailVerified: null, name: "Reader" });
  const expires = new Date(Date.now() + 3_600_000);
  await set.waitForReplay();
  await until("replica in use", async () => (await adapter.getUser!(user.id), onReplica(reads) > 0));

  let calls = 0;
  let running = true;
  const load = (async () => {
    for (let i = 0; running; i++) {
      const token = `outage-${i}`;
      await adapter.createSession!({ sessionToken: token, userId: user.id, expires });
      expect(await adapter.getSessionAndUser!(token)).toMatchObject({ user: { id: user.id } });
      expect(await adapter.getUser!(reader.id)).toMatchObject({ name: "Reader" });
      expect(await adapter.getUserByEmail!("reader@example.com")).toMatchObject({ id: reader.id });
      await adapter.deleteSession!(token);
      expect(await adapter.getSessionAndUser!(token)).toBeNull();
      calls += 6;
    }
  })();
  try {
    await set.stopReplica();
    await until("replica skipped as down", () => states.some((s) => s.state === "skipped" && s.reason === "down"));
    const during = calls;
    await until("calls go on during the outage", () => calls > during + 30);
    await set.startReplica();
    await until("replica in use again", () => states.at(-1)?.state === "in-use");
    reads.length = 0;
    await until("replica reads again", () => onReplica(reads) > 0);
  } finally {
    running = false;
    await load;
  }
  expect(calls).toBeGreaterThan(30);
  // A log line and a metric said so; the log names the replica by host and port only.
  const skipped = lines.find((l) => l.msg === "read replica skipped: down");
  expect(skipped).toMatchObject({ replica: `127.0.0.1:${set.replicaPort}/${set.database}`, reason: "down" });
  expect(lines.some((l) => l.msg === "read replica in use again")).toBe(true);
  const exposition = await metricsPlugin.registry.metrics();
  expect(exposition).toMatch(new RegExp(`auth_adapter_replica_skips_total\\{replica="127.0.0.1:${set.replicaPort}/${set.database}",reason="down"\\} [1-9]`));
  expect(exposition).toMatch(/auth_adapter_replica_reads_total\{target="replica",reason="replica"\} [1-9]/);
});

/** A kit on a database of its own in the set (created on the primary, replicated), with its own entities. */
async function kitOnNewDatabase(name: string, entities: AdapterKitOptions["entities"]) {
  await withClient(set.url("postgres", "primary"), (c) => c.query(`create database ${name}`));
  const on = kitOn({ maxReplicaLagMs: 5_000, entities, synchronize: true, database: { type: "postgres", url: set.url(name), replicas: [set.url(name, "replica")], maxReplicaLagMs: 5_000, replicaPollMs: 50 } });
  const writes: Array<KitEvents["replica.write"]> = [];
  on.kit.events.on("replica.write", (e) => writes.push(e));
  return { ...on, writes };
}

test("a value the replica refuses (SQLSTATE 22P02 for an app's uuid key) leaves the replica in use", async () => {
  const { adapter, reads, states } = await kitOnNewDatabase("uuid_keys", createEntities({ properties: { user: { id: { type: "uuid", primary: true } } } }));
  const user = await adapter.createUser!({ id: "4f8c0b7e-6d3a-4b1e-9a55-2c1d0e9f8a77", email: "uuid@example.com", emailVerified: null });
  await set.waitForReplay();
  await until("a replica read", async () => {
    await adapter.getUser!(user.id);
    return onReplica(reads) > 0;
  });
  // The first poll can find the new database not yet replayed on the replica ("down" before any
  // read): only what the refused reads do counts here.
  states.length = 0;
  for (let i = 0; i < 5; i++) {
    // The replica fails the read; the primary answers it (with the same refusal).
    await expect(adapter.getUser!(`not-a-uuid-${i}`)).rejects.toMatchObject({ code: "INVALID_INPUT" });
  }
  expect(states.filter((s) => s.state === "skipped" && s.reason === "down")).toEqual([]);
  reads.length = 0;
  expect(await adapter.getUser!(user.id)).toMatchObject({ email: "uuid@example.com" });
  expect(reads).toEqual([{ target: "replica", reason: "replica" }]);
});

test("a write the server refuses for its value (SQLSTATE 54000: an index row too large) does not turn replica reads off", async () => {
  const { adapter, reads, writes } = await kitOnNewDatabase("v3_tables", nextAuthV3Entities());
  const user = await adapter.createUser!({ email: "v3@example.com", emailVerified: null });
  await set.waitForReplay();
  await until("a replica read", async () => {
    await adapter.getUser!(user.id);
    return onReplica(reads) > 0;
  });
  writes.length = 0;
  // v3's e-mail column has no length, and random text does not compress under the btree limit.
  const huge = `${randomBytes(6_000).toString("base64")}@example.com`;
  await expect(adapter.createUser!({ email: huge, emailVerified: null })).rejects.toMatchObject({ code: "DATABASE_ERROR" });
  expect(writes).toEqual([]);
  reads.length = 0;
  expect(await adapter.getUser!(user.id)).toMatchObject({ email: "v3@example.com" });
  expect(reads).toEqual([{ target: "replica", reason: "replica" }]);
});
