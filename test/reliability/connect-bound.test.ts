/**
 * A PostgreSQL address that swallows connections (a primary lost without a reset, an address moved
 * by a failover) must not hold the kit's pool for good: each connection attempt has a bound (5 s on
 * the primary, 2 s on a replica, or the URL's `connect_timeout`), after which the pool tries again
 * and reaches the server that answers now.
 */
import { createAdapterKit } from "../../src";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startBlackHoleProxy, startSilentServer } from "../support/silentServer";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const through = (url: string, port: number) => url.replace(/@127\.0\.0\.1:\d+\//, `@127.0.0.1:${port}/`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a primary whose address swallowed the first connection is reached once it answers again, with no setting", async () => {
  const setup = createAdapterKit({ database: db.url, synchronize: true });
  await setup.authjs.createUser({ id: "u-bound", email: "bound@example.com", emailVerified: null });
  await setup.close();
  const proxy = await startBlackHoleProxy(Number(new URL(db.url).port));
  const kit = createAdapterKit({ database: through(db.url, proxy.port) });
  try {
    expect(await kit.authjs.getUser("u-bound").catch((e: unknown) => e)).toMatchObject({ code: "DATABASE_UNAVAILABLE" });
    proxy.forward();
    // Without a bound the first attempt's socket is never answered, and calls time out on it until
    // the pool's own create timeout (30 s) gives up on it.
    const deadline = Date.now() + 10_000;
    let user: unknown;
    while (!user && Date.now() < deadline) user = await kit.authjs.getUser("u-bound").catch(() => sleep(250).then(() => undefined));
    expect(user).toMatchObject({ id: "u-bound", email: "bound@example.com" });
  } finally {
    await kit.close().catch(() => undefined);
    await proxy.close();
  }
}, 60_000);

test("a silent primary fails the first call within one connect bound, not two", async () => {
  const silent = await startSilentServer();
  const kit = createAdapterKit({ database: through(db.url, silent.port) });
  try {
    const started = Date.now();
    const error = await kit.authjs.getUser("u-first").catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(error).toMatchObject({ code: "DATABASE_UNAVAILABLE" });
    // The bound is 5 s. Opening the ORM used to try a connection of its own first (MikroORM's
    // check at init), so the first call waited out the bound twice: about 10 s.
    expect(took).toBeLessThan(8_000);
    expect(silent.accepted).toBeGreaterThan(0);
  } finally {
    await kit.close().catch(() => undefined);
    await silent.close();
  }
}, 30_000);

test("a replica that swallows connections is tried again (2 s bound) while reads go to the primary", async () => {
  const silent = await startSilentServer();
  const kit = createAdapterKit({ database: { url: db.url, replicas: [through(db.url, silent.port)] }, synchronize: true });
  try {
    await kit.authjs.createUser({ id: "u-replica-bound", email: "replica-bound@example.com", emailVerified: null });
    for (let n = 0; n < 4; n++) expect(await kit.authjs.getUser("u-replica-bound")).toMatchObject({ id: "u-replica-bound" });
    await sleep(2_500);
    expect(await kit.authjs.getUser("u-replica-bound")).toMatchObject({ id: "u-replica-bound" });
    // One socket held for good without a bound; attempts are retried with it.
    expect(silent.accepted).toBeGreaterThan(1);
  } finally {
    await kit.close().catch(() => undefined);
    await silent.close();
  }
}, 60_000);
