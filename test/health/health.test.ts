/**
 * kit.health() against real services, each also down: a stopped Redis of the test's own, a
 * PostgreSQL URL to a closed port, and a server that accepts and never answers.
 */
import Redis from "ioredis";
import { createAdapterKit, type AdapterKit } from "../../src";
import { sessionCache } from "../../plugins";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { RedisServer } from "../support/redisServer";
import { closedPort, startSilentServer } from "../support/silentServer";

const PASSWORD = "s3cret-health-pw";
const CACHE_SECRET = "health-test-cache-secret-0123456789abcdef";

function redisClient(port: number): Redis {
  return new Redis({ host: "127.0.0.1", port, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 1000, retryStrategy: () => 100 });
}

function ready(client: Redis): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("test Redis not ready after 5 s")), 5000);
    client.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe("kit.health()", () => {
  let db: TestDatabase;
  const kits: AdapterKit[] = [];
  const open = (kit: AdapterKit) => (kits.push(kit), kit);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(kits.splice(0).map((kit) => kit.close()));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("reports every service up, with latencies, and pending migrations until kit.migrate() ran", async () => {
    const redisServer = await RedisServer.start();
    const redis = redisClient(redisServer.port);
    try {
      await ready(redis);
      const kit = open(createAdapterKit({ database: db.url, plugins: [sessionCache({ redis, secret: CACHE_SECRET })] }));

      const before = await kit.health();
      expect(before.database.state).toBe("up");
      expect(before.database.latencyMs).toEqual(expect.any(Number));
      expect(before.redis.state).toBe("up");
      expect(before.redis.latencyMs).toEqual(expect.any(Number));
      expect(before.replicas).toEqual({ state: "none", latencyMs: null, replicas: [] });
      expect(before.migrationsPending).toMatchObject({ state: "pending", pending: 2, names: ["Migration20261126000000", "Migration20261202000000"] });
      expect(before.ok).toBe(false);

      await kit.migrate();
      const after = await kit.health();
      expect(after.migrationsPending).toMatchObject({ state: "current", pending: 0, names: [] });
      expect(after.ok).toBe(true);
    } finally {
      redis.disconnect();
      await redisServer.stop();
    }
  });

  it("is ok on the in-memory default and with synchronize: true, which make their own tables", async () => {
    for (const options of [{ database: "memory" as const }, {}, { database: db.url, synchronize: true }]) {
      const kit = open(createAdapterKit(options));
      await kit.authjs.getUser("warm-up");
      const health = await kit.health();
      expect(health.migrationsPending).toMatchObject({ state: "unknown", pending: null, reason: expect.stringContaining("synchronize: true") });
      expect(health.ok).toBe(true);
    }
  });

  it("reports Redis down once its server stopped, while the database stays up", async () => {
    const redisServer = await RedisServer.start();
    const redis = redisClient(redisServer.port);
    redis.on("error", () => undefined);
    try {
      await ready(redis);
      const kit = open(createAdapterKit({ database: db.url, plugins: [sessionCache({ redis, secret: CACHE_SECRET })] }));
      expect((await kit.health()).redis.state).toBe("up");

      await redisServer.stop();
      const health = await kit.health({ timeoutMs: 1500 });
      expect(["down", "timeout"]).toContain(health.redis.state);
      expect(health.redis.reason).toEqual(expect.any(String));
      expect(health.database.state).toBe("up");
      expect(health.ok).toBe(false);
    } finally {
      redis.disconnect();
      await redisServer.stop();
    }
  });

  it("reports a database on a closed port down and names no password", async () => {
    const port = await closedPort();
    const kit = open(createAdapterKit({ database: `postgresql://kit:${PASSWORD}@127.0.0.1:${port}/nowhere` }));
    const health = await kit.health();
    expect(health.database).toMatchObject({ state: "down", reason: expect.stringContaining("DATABASE_UNAVAILABLE") });
    expect(health.replicas.state).toBe("none");
    expect(health.migrationsPending.state).toBe("down");
    expect(health.redis.state).toBe("none");
    expect(health.ok).toBe(false);
    expect(JSON.stringify(health)).not.toContain(PASSWORD);
  });

  it("settles with timeouts when the database accepts connections and never answers", async () => {
    const silent = await startSilentServer();
    try {
      const kit = open(createAdapterKit({ database: `postgresql://kit:${PASSWORD}@127.0.0.1:${silent.port}/frozen` }));
      const health = await kit.health({ timeoutMs: 500 });
      expect(silent.accepted).toBeGreaterThan(0);
      expect(health.database).toMatchObject({ state: "timeout", reason: "no answer within 500 ms" });
      expect(health.migrationsPending.state).toBe("timeout");
      // Opening the kit needs no answer from the server, so it knows it was given no replica.
      expect(health.replicas.state).toBe("none");
      expect(health.ok).toBe(false);
    } finally {
      await silent.close();
    }
  });

  it("settles with a timeout when Redis accepts connections and never answers", async () => {
    const silent = await startSilentServer();
    // No ready wait: the client stays "connecting" and its commands wait for an answer that never comes.
    const redis = new Redis({ host: "127.0.0.1", port: silent.port, maxRetriesPerRequest: 1, connectTimeout: 60_000, retryStrategy: () => null });
    redis.on("error", () => undefined);
    try {
      const kit = open(createAdapterKit({ database: db.url, plugins: [sessionCache({ redis, secret: CACHE_SECRET })] }));
      const health = await kit.health({ timeoutMs: 500 });
      expect(health.redis).toMatchObject({ state: "timeout", reason: "no answer within 500 ms" });
      expect(health.database.state).toBe("up");
    } finally {
      redis.disconnect();
      await silent.close();
    }
  });

  it("probes each read replica by name: one answering, one on a closed port", async () => {
    const port = await closedPort();
    const primary = new URL(db.url);
    const kit = open(
      createAdapterKit({
        database: {
          clientUrl: db.url,
          driver: require("@mikro-orm/postgresql").PostgreSqlDriver,
          // A replica connection to the primary itself answers like a replica for a probe; the second one is down.
          replicas: [{ name: "near", clientUrl: db.url }, { host: "127.0.0.1", port, dbName: primary.pathname.slice(1), password: PASSWORD }],
        },
      }),
    );
    await kit.migrate();
    const health = await kit.health();
    expect(health.database.state).toBe("up");
    expect(health.replicas.state).toBe("down");
    expect(health.replicas.replicas).toEqual([
      expect.objectContaining({ name: "near", state: "up" }),
      expect.objectContaining({ name: `127.0.0.1:${port}/${primary.pathname.slice(1)}`, state: "down" }),
    ]);
    expect(health.ok).toBe(true); // reads fall back to the primary
    expect(JSON.stringify(health)).not.toContain(PASSWORD);
  });

  it("reports no database for memory stores", async () => {
    const health = await open(createAdapterKit({ stores: "memory" })).health();
    expect(health.database.state).toBe("none");
    expect(health.migrationsPending.state).toBe("unknown");
    expect(health.ok).toBe(false);
  });

  it("refuses a timeout that is not a positive number", async () => {
    const kit = open(createAdapterKit({ stores: "memory" }));
    await expect(kit.health({ timeoutMs: 0 })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

