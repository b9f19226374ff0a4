/**
 * A newcomer's first run with a wrong Redis port: nothing listens there from the start. Reads
 * bypass the cache, a sign-in and a sign-out still work, and each write settles: a write waits at
 * most `leaseMs + heartbeatMs` (so that instances which lost Redis stop serving), never longer.
 * The bound checked here is four times that, to catch a hang, not to measure speed.
 */
import type Redis from "ioredis";
import { createAdapterKit, type AdapterKit } from "../../../src";
import { sessionCache } from "..";
import { freePort, redisClient, TEST_SECRET } from "./support";

const OPTIONS = { leaseMs: 1000, heartbeatMs: 250, commandTimeoutMs: 300 };
const BOUND_MS = 4 * (OPTIONS.leaseMs + OPTIONS.heartbeatMs + OPTIONS.commandTimeoutMs);

/** `promise`, or a failure naming `what` when it has not settled within BOUND_MS. */
function settles<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${BOUND_MS} ms with Redis unreachable`)), BOUND_MS);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

let redis: Redis;
let kit: AdapterKit;
const errors: Error[] = [];
const events: string[] = [];

beforeAll(async () => {
  redis = redisClient(await freePort()); // a port nothing listens on
  redis.on("error", (error: Error) => errors.push(error)); // as the README shows: no unhandled-error flood
  kit = createAdapterKit({ stores: "memory", plugins: [sessionCache({ redis, secret: TEST_SECRET, ...OPTIONS })] });
  kit.events.on("cache.request", (e) => events.push(e.result));
});

afterAll(async () => {
  await kit?.close();
  redis?.disconnect();
});

test("with Redis unreachable from the start, sign-in and sign-out settle and reads come from the store", async () => {
  const user = await settles("createUser", kit.authjs.createUser({ email: "ada@example.com", emailVerified: null }));
  const expires = new Date(Date.now() + 3_600_000);
  const session = await settles("createSession", kit.authjs.createSession({ sessionToken: "s-unreachable", userId: user.id, expires }));
  expect(await settles("getSessionAndUser", kit.authjs.getSessionAndUser(session.sessionToken))).toMatchObject({ user: { id: user.id } });
  expect(events.at(-1)).toBe("bypass");
  await settles("deleteSession", kit.authjs.deleteSession(session.sessionToken));
  await settles("the second deleteSession", kit.authjs.deleteSession(session.sessionToken));
  expect(await kit.authjs.getSessionAndUser(session.sessionToken)).toBeNull();
  expect(errors.length).toBeGreaterThan(0); // the app's listener saw the connection errors
});
