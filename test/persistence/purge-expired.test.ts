import { Client } from "pg";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { createAdapterKit, createMemoryStores, type AdapterKit, type SessionStore } from "../../src";
import { createTestDatabase, query, type TestDatabase } from "../support/database";

describe("purgeExpired on PostgreSQL", () => {
  let db: TestDatabase;
  let kit: AdapterKit;
  let statements: string[] = [];
  let userIds: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    kit = createAdapterKit({
      database: { driver: PostgreSqlDriver, clientUrl: db.url, debug: ["query"], logger: (message: string) => statements.push(message) },
      synchronize: true,
      sessionTokens: "raw", // rows are seeded by SQL with their tokens as given
    });
    userIds = [];
    for (let i = 0; i < 3; i++) userIds.push((await kit.authjs.createUser({ email: `purge${i}@example.com`, emailVerified: null })).id);
  });
  afterAll(async () => {
    await kit.close();
    await db.drop();
  });

  /** Rows written straight in SQL (generate_series): `expires` is `offset` from `now`, per row. */
  const insertSessions = (prefix: string, count: number, now: Date, offset: string) =>
    query(
      db.url,
      `insert into sessions (id, session_token, user_id, expires)
       select $1 || g, $1 || 'token-' || g, ($2::text[])[1 + g % 3], $3::timestamptz + ${offset}
       from generate_series(1, ${count}) g`,
      [prefix, userIds, now],
    );
  const insertTokens = (prefix: string, count: number, now: Date, offset: string) =>
    query(
      db.url,
      `insert into verification_tokens (identifier, token, expires)
       select 'user' || (g % 50) || '@example.com', $1 || g, $2::timestamptz + ${offset}
       from generate_series(1, ${count}) g`,
      [prefix, now],
    );
  /** A fingerprint of the rows present: their count and a hash of their keys. */
  const fingerprint = async (sql: string) => (await query(db.url, sql))[0];

  test("100k expired sessions and 100k expired tokens among live ones: every expired row goes, every live row stays", async () => {
    const now = new Date(Date.now() - 60_000);
    await insertSessions("expired-", 100_000, now, "- (g || ' seconds')::interval");
    await insertSessions("boundary-", 1, now, "interval '0'"); // expires exactly at `now`: expired
    await insertSessions("just-live-", 1, now, "interval '1 millisecond'"); // one millisecond later: live
    await insertSessions("live-", 5_000, now, "interval '1 hour' + interval '1 second' * g");
    await insertTokens("expired-", 100_000, now, "- (g || ' minutes')::interval");
    await insertTokens("live-", 5_000, now, "interval '1 hour'");

    const liveSessions = "select count(*)::int as n, md5(string_agg(id, ',' order by id)) as h from sessions where expires > $1";
    const liveTokens = "select count(*)::int as n, md5(string_agg(identifier || token, ',' order by token)) as h from verification_tokens where expires > $1";
    const sessionsBefore = (await query(db.url, liveSessions, [now]))[0];
    const tokensBefore = (await query(db.url, liveTokens, [now]))[0];
    expect(sessionsBefore).toMatchObject({ n: 5_001 });
    expect(tokensBefore).toMatchObject({ n: 5_000 });

    statements = [];
    const result = await kit.purgeExpired({ now, batchSize: 1000 });

    expect(result).toEqual({ sessions: 100_001, verificationTokens: 100_000, skipped: [] });
    expect(await fingerprint(`select count(*)::int as n from sessions where expires <= '${now.toISOString()}'`)).toEqual({ n: 0 });
    expect(await fingerprint(`select count(*)::int as n from verification_tokens where expires <= '${now.toISOString()}'`)).toEqual({ n: 0 });
    expect((await query(db.url, liveSessions, [now]))[0]).toEqual(sessionsBefore);
    expect((await query(db.url, liveTokens, [now]))[0]).toEqual(tokensBefore);

    // Bounded batches: one short DELETE per 1000 rows (plus the short last one), never one big statement.
    const deletes = statements.filter((s) => /delete from/i.test(s));
    expect(deletes).toHaveLength(101 + 101);
    expect(deletes.every((s) => /limit \$2 for update skip locked/i.test(s))).toBe(true);
    const affected = deletes.map((s) => Number(/(\d+) rows? affected/.exec(s)?.[1] ?? 0));
    expect(Math.max(...affected)).toBe(1000);

    // The users and live sessions are untouched and still usable.
    expect(await kit.authjs.getSessionAndUser("live-token-1")).toMatchObject({ user: { id: expect.any(String) } });
    expect(await fingerprint("select count(*)::int as n from users")).toEqual({ n: 3 });
    await query(db.url, "delete from sessions where id = 'just-live-1'"); // it expires long before the next test's `now`
  });

  test("a row another transaction holds is skipped, not waited for, and goes on the next run", async () => {
    const now = new Date(Date.now() - 60_000);
    await insertSessions("held-", 10, now, "- interval '1 hour'");
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query("select id from sessions where id = 'held-1' for update");
      expect(await kit.purgeExpired({ now, batchSize: 4 })).toMatchObject({ sessions: 9 });
      expect(await query(db.url, "select id from sessions where id like 'held-%'")).toEqual([{ id: "held-1" }]);
      await holder.query("commit");
      expect(await kit.purgeExpired({ now })).toMatchObject({ sessions: 1 });
    } finally {
      await holder.end();
    }
  });

  test("a verification token used after the purge still works when live, and is gone when expired", async () => {
    const identifier = "after@example.com";
    await kit.authjs.createVerificationToken({ identifier, token: "live", expires: new Date(Date.now() + 60_000) });
    await kit.authjs.createVerificationToken({ identifier, token: "old", expires: new Date(Date.now() - 1) });
    expect(await kit.purgeExpired()).toMatchObject({ verificationTokens: 1 });
    expect(await kit.authjs.useVerificationToken({ identifier, token: "live" })).toMatchObject({ token: "live" });
    expect(await query(db.url, "select token from verification_tokens where identifier = $1", [identifier])).toEqual([]);
  });
});

describe.each(["memory", "sqlite"] as const)("purgeExpired on %s", (stores) => {
  test("deletes expired sessions and tokens in batches and keeps live ones", async () => {
    // SQLite: the embedded default; its batches go by the primary key (composite for tokens), without SKIP LOCKED.
    const kit = createAdapterKit(stores === "memory" ? { stores: "memory" } : {});
    try {
      const user = await kit.authjs.createUser({ email: "memory@example.com", emailVerified: null });
      const past = new Date(Date.now() - 1000);
      const future = new Date(Date.now() + 60_000);
      for (let i = 0; i < 5; i++) {
        await kit.authjs.createSession({ sessionToken: `old-${i}`, userId: user.id, expires: past });
        await kit.authjs.createVerificationToken({ identifier: "memory@example.com", token: `old-${i}`, expires: past });
      }
      await kit.authjs.createSession({ sessionToken: "live", userId: user.id, expires: future });
      await kit.authjs.createVerificationToken({ identifier: "memory@example.com", token: "live", expires: future });

      expect(await kit.purgeExpired({ batchSize: 2 })).toEqual({ sessions: 5, verificationTokens: 5, skipped: [] });
      expect(await kit.authjs.getSessionAndUser("live")).not.toBeNull();
      expect(await kit.authjs.useVerificationToken({ identifier: "memory@example.com", token: "live" })).not.toBeNull();
      expect(await kit.purgeExpired()).toEqual({ sessions: 0, verificationTokens: 0, skipped: [] });
    } finally {
      await kit.close();
    }
  });

});

describe("purgeExpired with a team's own store", () => {
  test("a store without deleteExpired is reported as skipped; bad options are refused", async () => {
    // e.g. a team's Redis session store, whose keys expire by themselves.
    const inner = createMemoryStores().sessions;
    const ownStore: SessionStore = {
      create: (s) => inner.create(s),
      find: (t) => inner.find(t),
      update: (s) => inner.update(s),
      delete: (t) => inner.delete(t),
      deleteByUserId: (u) => inner.deleteByUserId(u),
    };
    const kit = createAdapterKit({ stores: "memory", bindStores: { sessions: ownStore } });
    try {
      expect(await kit.purgeExpired()).toEqual({ sessions: 0, verificationTokens: 0, skipped: ["sessions"] });
      await expect(kit.purgeExpired({ batchSize: 0 })).rejects.toMatchObject({ code: "INVALID_INPUT", operation: "purgeExpired" });
      await expect(kit.purgeExpired({ now: new Date("nope") })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    } finally {
      await kit.close();
    }
  });
});
