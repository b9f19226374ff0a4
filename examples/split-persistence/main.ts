/**
 * Split persistence: users and accounts in PostgreSQL, sessions in Redis. The Redis session store is
 * the app's own (RedisSessionStore.ts, ~80 lines); one binding puts it in place of the default.
 *
 * DATABASE_URL picks the database (default: `nak_example_split_persistence`, created if missing),
 * REDIS_URL the Redis server (default redis://127.0.0.1:6379).
 */
import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { createAdapterKit } from "../../src";
import { exampleDatabase, sql } from "../shared/postgres";
import { signInByEmail } from "../shared/signInByEmail";
import { RedisSessionStore } from "./RedisSessionStore";

async function main(): Promise<void> {
  const url = await exampleDatabase("split-persistence");
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
  // A prefix of this run's own: the example may share Redis with other apps and other runs.
  const prefix = `nak:example:split:${randomUUID()}:`;
  const redisKeys = () => redis.keys(`${prefix}*`);

  const kit = createAdapterKit({
    database: url,
    synchronize: true, // create the kit's tables if missing (development; use migrations in production)
    // The one line that moves sessions out of PostgreSQL. (Or later: kit.bindStore("sessions", store).)
    bindStores: { sessions: new RedisSessionStore(redis, prefix) },
  });
  try {
    const { user, session } = await signInByEmail(kit.authjs, "ada@example.com");
    console.log(`1. ada@example.com signed in: the calls Auth.js makes, see ../shared/signInByEmail.ts`);

    const keys = await redisKeys();
    // The key holds the token's stored form (`h1:` + its HMAC: the kit hashes session tokens before
    // any store sees them), so a Redis dump holds no usable session either.
    const sessionKey = keys.find((key) => key.startsWith(`${prefix}session:`))!;
    if (sessionKey.includes(session.sessionToken)) throw new Error("the raw session token reached Redis");
    const ttl = await redis.pttl(sessionKey);
    console.log(`2. Redis holds ${keys.length} keys for this run: the session (expires with it, TTL ${Math.round(ttl / 3_600_000)} h) and Ada's set of sessions`);

    const [users] = await sql<{ count: string }>(url, "select count(*) from users where id = $1", [user.id]);
    const [sessions] = await sql<{ count: string }>(url, "select count(*) from sessions where user_id = $1", [user.id]);
    console.log(`3. PostgreSQL holds ${users.count} user row for her, and ${sessions.count} session rows for her`);

    // What every request of a signed-in user does: one read from Redis, one from PostgreSQL.
    const found = await kit.authjs.getSessionAndUser(session.sessionToken);
    console.log(`4. getSessionAndUser: user ${found?.user.email}, session expires ${found?.session.expires.toISOString()}`);

    // Deleting the user reaches both stores: the kit calls the Redis store's deleteByUserId.
    await kit.authjs.deleteUser(user.id);
    const [after] = await sql<{ count: string }>(url, "select count(*) from users where id = $1", [user.id]);
    console.log(`5. After deleteUser: ${(await redisKeys()).length} Redis keys, ${after.count} user rows`);

    if (keys.length !== 2 || users.count !== "1" || sessions.count !== "0" || found?.user.id !== user.id) throw new Error("the stores are not split as expected");
    console.log("Done: the user lived in PostgreSQL, the session in Redis.");
  } finally {
    await kit.close();
    redis.disconnect(); // the client is the app's: the kit never closes it
  }
}

main().catch((error: unknown) => {
  console.error(`split-persistence example failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
