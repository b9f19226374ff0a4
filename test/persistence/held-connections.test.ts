import { MikroORM } from "@mikro-orm/core";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { createAdapterKit, entityList, TYPES, type AdapterKit, type AdapterKitOptions, type AdapterUser } from "../../src";
import type { OrmConnection } from "../../src/persistence/mikro-orm/OrmConnection";
import { query, type TestDatabase } from "../support/database";
import { createTestDatabaseWithSchema } from "../support/schemaDatabase";

/**
 * The connections the kit holds from MikroORM's pool between statements (HeldConnections): the
 * app's own queries on a shared pool still get one, a connection killed while held is replaced,
 * and closing gives every one back.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabaseWithSchema();
});
afterAll(() => db.drop());

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  max: number;
}

const tarnOf = (orm: MikroORM) => (orm.em.getConnection() as unknown as { getKnex(): { client: { pool: TarnPool } } }).getKnex().client.pool;
const ormOf = (kit: AdapterKit) => kit.container.get<OrmConnection>(TYPES.OrmConnection).get();
const email = () => `held-${Math.random().toString(36).slice(2)}@example.com`;
const inAMinute = () => new Date(Date.now() + 60_000);

/** The server backends connected to the test database, but for the one asking. */
const backends = async () =>
  (await query<{ pid: number }>(db.url, "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")).map((r) => r.pid);

/** An app-owned ORM on a pool of `max` connections whose acquire gives up after `acquireTimeoutMillis`. */
const appOrm = (max: number, acquireTimeoutMillis: number) =>
  MikroORM.init({ driver: PostgreSqlDriver, clientUrl: db.url, entities: entityList(), pool: { min: 0, max, acquireTimeoutMillis } });

/** A kit on `database` with a fresh user; the kit (and an app ORM it was given) closed afterwards, also when the test fails. */
async function withKit(orm: MikroORM | undefined, database: AdapterKitOptions["database"], fn: (kit: AdapterKit, user: AdapterUser) => Promise<void>): Promise<void> {
  const kit = createAdapterKit({ database });
  try {
    await fn(kit, await kit.authjs.createUser({ email: email(), emailVerified: null }));
  } finally {
    await kit.close();
    await orm?.close(true);
  }
}

/** The same on an app-owned ORM. */
async function withAppKit(orm: MikroORM, fn: (kit: AdapterKit, user: AdapterUser) => Promise<void>): Promise<void> {
  return withKit(orm, orm, fn);
}

describe("connections the kit holds between statements", () => {
  test("a pool of one: the app's own query gets the connection the kit holds idle, long before the acquire timeout", async () => {
    const orm = await appOrm(1, 500);
    await withAppKit(orm, async (kit, user) => {
      expect(tarnOf(orm).numUsed()).toBe(1); // held by the kit, idle
      // The app's query asks the pool: the kit gives the connection back at once (its idle time is longer than a second).
      const [row] = await orm.em.fork().getConnection().execute<Array<{ n: number }>>("select 1 as n");
      expect(row).toEqual({ n: 1 });
      expect(await kit.authjs.getUser(user.id)).toEqual(user);
    });
  });

  test("the app's own queries get connections while the kit is busy on every connection of the pool", async () => {
    const orm = await appOrm(2, 2_000);
    await withAppKit(orm, async (kit, user) => {
      let busy = true;
      // 8 kit callers keep both connections busy (and the kit's local queue full) until the app is done.
      const callers = Array.from({ length: 8 }, async () => {
        let calls = 0;
        while (busy) {
          await kit.authjs.getUser(user.id);
          calls++;
        }
        return calls;
      });
      for (let i = 0; i < 10; i++) {
        const [row] = await orm.em.fork().getConnection().execute<Array<{ n: number }>>("select 1 as n");
        expect(row).toEqual({ n: 1 });
      }
      busy = false;
      const calls = await Promise.all(callers);
      expect(calls.every((n) => n > 0)).toBe(true);
      expect(tarnOf(orm).numUsed()).toBeLessThanOrEqual(2);
    });
  });

  test("32 callers on a pool of 3: every call answers, and the pool never grows past its max", async () => {
    await withKit(undefined, { driver: PostgreSqlDriver, clientUrl: db.url, pool: { min: 0, max: 3 } }, async (kit, user) => {
      const pool = tarnOf(await ormOf(kit));
      let most = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          for (let i = 0; i < 10; i++) {
            expect(await kit.authjs.getUser(user.id)).toEqual(user);
            most = Math.max(most, pool.numUsed());
          }
        }),
      );
      expect(most).toBeLessThanOrEqual(3);
      expect((await backends()).length).toBeLessThanOrEqual(3);
    });
  });

  test("32 callers on a pool of 2, every other statement refused by the server: each caller gets its own answer or error, and the kit keeps serving", async () => {
    await withKit(undefined, { driver: PostgreSqlDriver, clientUrl: db.url, pool: { min: 0, max: 2 } }, async (kit, user) => {
      const taken = `held-${Math.random().toString(36).slice(2)}`;
      await kit.authjs.createSession({ sessionToken: taken, userId: user.id, expires: inAMinute() });
      // Callers mostly wait: a statement's end hands its connection to the next waiter, failed or not.
      const outcomes = await Promise.all(
        Array.from({ length: 32 }, async (_, i) => {
          const got: unknown[] = [];
          for (let k = 0; k < 6; k++) {
            if ((i + k) % 2 === 0) got.push(await kit.authjs.createSession({ sessionToken: taken, userId: user.id, expires: inAMinute() }).then(() => "created", (error: { code?: string }) => error.code));
            else got.push((await kit.authjs.getUser(user.id))?.id);
          }
          return got;
        }),
      );
      outcomes.forEach((got, i) => expect(got).toEqual(got.map((_, k) => ((i + k) % 2 === 0 ? "CONFLICT" : user.id))));
      expect((await backends()).length).toBeLessThanOrEqual(2);
      expect((await kit.authjs.getSessionAndUser(taken))?.user.id).toBe(user.id);
    });
  });

  test("the kit's own read timeout stands in for pg's on its statements only: the app's query on a connection the kit used still has pg's query_timeout", async () => {
    const orm = await MikroORM.init({
      driver: PostgreSqlDriver,
      clientUrl: db.url,
      entities: entityList(),
      pool: { min: 0, max: 1 },
      driverOptions: { connection: { query_timeout: 300 } },
    });
    await withAppKit(orm, async (kit, user) => {
      expect(await kit.authjs.getUser(user.id)).toEqual(user);
      const pool = tarnOf(orm) as unknown as { used: Array<{ resource: { connectionParameters: { query_timeout?: number } } }> };
      expect(pool.used.map((u) => u.resource.connectionParameters.query_timeout)).toEqual([300]);
      // The one connection, used by the kit, goes to the app's query: pg's own timer ends it long before the sleep would.
      await expect(orm.em.fork().getConnection().execute("select pg_sleep(30)")).rejects.toThrow();
    });
  });

  test("a connection killed server-side while the kit holds it idle is replaced: the next write (never retried) succeeds", async () => {
    const kit = createAdapterKit({ database: db.url });
    let rebuilds = 0;
    kit.events.on("database.rebuild", () => rebuilds++);
    try {
      const user = await kit.authjs.createUser({ email: email(), emailVerified: null });
      const held = await backends();
      expect(held.length).toBeGreaterThan(0);
      await query(db.url, "select pg_terminate_backend(pid) from pg_stat_activity where pid = any($1)", [held]);
      while ((await backends()).some((pid) => held.includes(pid))) await new Promise((resolve) => setTimeout(resolve, 20));
      const session = await kit.authjs.createSession({ sessionToken: `held-${Math.random()}`, userId: user.id, expires: inAMinute() });
      expect(session.userId).toBe(user.id);
      expect(rebuilds).toBe(0);
      expect((await backends()).some((pid) => held.includes(pid))).toBe(false);
    } finally {
      await kit.close();
    }
  });

  test("kit.close() on an app's ORM gives every held connection back; the ORM closes without waiting on the kit", async () => {
    const orm = await appOrm(4, 2_000);
    await withAppKit(orm, async (kit, user) => {
      await Promise.all(Array.from({ length: 6 }, () => kit.authjs.getUser(user.id)));
      expect(tarnOf(orm).numUsed()).toBeGreaterThan(0);
      await kit.close();
      expect(tarnOf(orm).numUsed()).toBe(0);
      expect(tarnOf(orm).numFree()).toBeGreaterThan(0);
    });
  });

  test("the app closing its ORM under held connections: the pool closes, and the kit works again once the app reconnects", async () => {
    const orm = await appOrm(2, 2_000);
    await withAppKit(orm, async (kit, user) => {
      await orm.close(true); // would wait forever on a connection the kit kept
      await expect(kit.authjs.getUser(user.id)).rejects.toMatchObject({ code: "DATABASE_UNAVAILABLE" });
      await orm.connect();
      expect(await kit.authjs.getUser(user.id)).toEqual(user);
    });
  });

  test("a pool with the app's own validate hook is validated on every use: the kit holds nothing from it", async () => {
    let validations = 0;
    const validate = () => {
      validations++;
      return true;
    };
    const kit = createAdapterKit({ database: { driver: PostgreSqlDriver, clientUrl: db.url, pool: { min: 0, max: 2, validate } as never } });
    try {
      const user = await kit.authjs.createUser({ email: email(), emailVerified: null });
      const before = validations;
      for (let i = 0; i < 5; i++) await kit.authjs.getUser(user.id);
      expect(validations - before).toBeGreaterThanOrEqual(5);
      expect(tarnOf(await ormOf(kit)).numUsed()).toBe(0);
    } finally {
      await kit.close();
    }
  });
});
