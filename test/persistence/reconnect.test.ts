import { MikroORM } from "@mikro-orm/core";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { createAdapterKit, entityList, TYPES, type AdapterKit } from "../../src";
import type { OrmConnection } from "../../src/persistence/mikro-orm/OrmConnection";
import { createTestDatabase, query, withClient, type TestDatabase } from "../support/database";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const ormOf = (kit: AdapterKit) => kit.container.get<OrmConnection>(TYPES.OrmConnection).get();

describe("reconnect", () => {
  test("the ORM's connection closed under the kit: the next operation succeeds", async () => {
    const kit = createAdapterKit({ database: db.url, synchronize: true });
    const rebuilds: unknown[] = [];
    kit.events.on("database.rebuild", (event) => rebuilds.push(event));
    try {
      const user = await kit.authjs.createUser({ email: "reconnect1@example.com", emailVerified: null });
      await (await ormOf(kit)).close(true);
      expect(await kit.authjs.getUser(user.id)).toEqual(user);
      expect(rebuilds).toEqual([{ reason: "pool_closed" }]); // the one thing that rebuilds the pool
    } finally {
      await kit.close();
    }
  });

  test("every server backend of the pool terminated (pg_terminate_backend): the next operation succeeds", async () => {
    const kit = createAdapterKit({ database: db.url, synchronize: true });
    try {
      const user = await kit.authjs.createUser({ email: "reconnect2@example.com", emailVerified: null });
      await Promise.all([kit.authjs.getUser(user.id), kit.authjs.getUser(user.id), kit.authjs.getUser(user.id)]);
      const killed = await query(
        db.url,
        "select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
      );
      expect(killed.length).toBeGreaterThan(0);
      expect(await kit.authjs.getUser(user.id)).toEqual(user);
      expect(await kit.authjs.getUserByEmail("reconnect2@example.com")).toEqual(user);
    } finally {
      await kit.close();
    }
  });

  test("an app-owned MikroORM that the app closed is not reopened by the kit: DATABASE_UNAVAILABLE until the app reconnects it", async () => {
    const orm = await MikroORM.init({ driver: PostgreSqlDriver, clientUrl: db.url, entities: entityList() });
    await orm.getSchemaGenerator().updateSchema();
    const kit = createAdapterKit({ database: orm });
    try {
      const user = await kit.authjs.createUser({ email: "reconnect3@example.com", emailVerified: null });
      await orm.close(true);
      await expect(kit.authjs.getUser(user.id)).rejects.toMatchObject({ code: "DATABASE_UNAVAILABLE", operation: "getUser" });
      await orm.connect();
      expect(await kit.authjs.getUser(user.id)).toEqual(user);
    } finally {
      await kit.close();
      await orm.close(true);
    }
  });

  test("a backend terminated under a running statement: only that client is dropped; a read is retried, a write is not", async () => {
    const kit = createAdapterKit({ database: db.url, synchronize: true });
    let rebuilds = 0;
    kit.events.on("database.rebuild", () => rebuilds++);
    try {
      const user = await kit.authjs.createUser({ email: "reconnect-mid@example.com", emailVerified: null });
      /** The kit's backends waiting for a lock on `table`. */
      const waitingOn = (table: string) =>
        query<{ pid: number }>(db.url, "select distinct l.pid from pg_locks l where not l.granted and l.relation = $1::regclass", [table]);
      const until = async (table: string, count: number) => {
        let waiting: Array<{ pid: number }> = [];
        while (waiting.length < count) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          waiting = await waitingOn(table);
        }
        return waiting.map((w) => w.pid);
      };
      const sessionToken = "reconnect-mid-token";
      await withClient(db.url, async (bystanderLock) => {
        // A third client of the pool, busy on another table meanwhile: it must not be dropped.
        await bystanderLock.query("begin");
        await bystanderLock.query("lock table accounts in access exclusive mode");
        const bystander = kit.authjs.getAccount!("reconnect-mid-account", "github");
        const [bystanderPid] = await until("accounts", 1);
        await withClient(db.url, async (locker) => {
          await locker.query("begin");
          await locker.query("lock table sessions in access exclusive mode");
          const write = kit.authjs.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() + 60_000) }).catch((e) => e);
          const read = kit.authjs.getSessionAndUser("reconnect-mid-other");
          // Both statements wait on the lock: terminate exactly their backends.
          await query(db.url, "select pg_terminate_backend(pid) from pg_stat_activity where pid = any($1)", [await until("sessions", 2)]);
          expect(await write).toMatchObject({ code: "DATABASE_UNAVAILABLE", operation: "createSession" });
          await locker.query("rollback");
          expect(await read).toBeNull(); // retried once on a fresh client, after the lock was gone
        });
        await bystanderLock.query("rollback");
        expect(await bystander).toBeNull();
        // The client that was not terminated stayed in the pool: its backend is still there.
        const survivors = (await query<{ pid: number }>(db.url, "select pid from pg_stat_activity where datname = current_database()")).map((r) => r.pid);
        expect(survivors).toContain(bystanderPid);
      });
      // The write was not retried behind the caller's back; the kit still works; no pool rebuild.
      // By user: the token is stored hashed (the kit's default), and this user has no other session.
      expect(await query(db.url, "select 1 from sessions where user_id = $1", [user.id])).toEqual([]);
      expect(await kit.authjs.getUser(user.id)).toEqual(user);
      expect(rebuilds).toBe(0);
    } finally {
      await kit.close();
    }
  });

  test("the embedded SQLite default gets its tables back after a reconnect", async () => {
    const kit = createAdapterKit();
    try {
      await kit.authjs.createUser({ email: "before@example.com", emailVerified: null });
      await (await ormOf(kit)).close(true);
      // In-memory data is gone with the connection; the schema is recreated so the kit keeps working.
      const user = await kit.authjs.createUser({ email: "after@example.com", emailVerified: null });
      expect(await kit.authjs.getUser(user.id)).toEqual(user);
    } finally {
      await kit.close();
    }
  });

  test("a database that stays down fails with DATABASE_UNAVAILABLE and its cause, and does not hang", async () => {
    const kit = createAdapterKit({ database: "postgresql://postgres@127.0.0.1:1/nothing" });
    try {
      const error = await kit.authjs.getSessionAndUser("t").catch((e) => e);
      expect(error).toMatchObject({ code: "DATABASE_UNAVAILABLE", operation: "getSessionAndUser" });
      expect(error.cause).toBeDefined();
    } finally {
      await kit.close();
    }
  });
});

describe("one lazily created ORM", () => {
  test("concurrent first calls share one init, and v3's getAdapter on every request opens no second pool", async () => {
    const init = jest.spyOn(MikroORM, "init");
    const kit = createAdapterKit({ database: db.url, synchronize: true });
    try {
      await Promise.all(Array.from({ length: 20 }, (_, i) => kit.authjs.getUser(`u${i}`)));
      for (let i = 0; i < 50; i++) {
        const v3 = await kit.legacy.getAdapter({ secret: "s", session: { maxAge: 60 } });
        await v3.getSession("nope");
      }
      expect(init).toHaveBeenCalledTimes(1);
    } finally {
      init.mockRestore();
      await kit.close();
    }
  });

  test("createAdapterKit connects nothing until the first operation", async () => {
    const init = jest.spyOn(MikroORM, "init");
    const kit = createAdapterKit({ database: db.url });
    expect(init).not.toHaveBeenCalled();
    init.mockRestore();
    await kit.close();
  });
});
