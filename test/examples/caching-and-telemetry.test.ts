import Redis from "ioredis";
import { expectSuccess, runExample } from "./runExample";

test("a burst of session reads is answered by the cache, and the metrics exposition shows hits, misses and durations", async () => {
  const run = await runExample("caching-and-telemetry");
  expectSuccess(run);
  const bypasses = Number(/after (\d+) bypassed/.exec(run.line("1. "))?.[1]);
  expect(bypasses).toBeGreaterThanOrEqual(0);
  expect(JSON.parse(run.line("2. 20 more reads: ").slice("2. 20 more reads: ".length))).toEqual({ hits: 20, misses: 1, bypasses, rejected: 0, size: 1 });
  expect(run.line("3. ")).toBe("3. After sign-out the session reads back as null");
  expect(JSON.parse(run.line("4. ").replace(/^.*the last: /, ""))).toMatchObject({ operation: "getSessionAndUser", outcome: "null" });

  const metric = (name: string) => Number(run.line(`   ${name} `).split(" ").at(-1));
  expect(metric('auth_adapter_session_cache_requests_total{result="hit"}')).toBe(20);
  // The first cached read, and the read after sign-out (the deleted session is not served from the cache).
  expect(metric('auth_adapter_session_cache_requests_total{result="miss"}')).toBe(2);
  expect(metric('auth_adapter_session_cache_requests_total{result="bypass"}')).toBe(bypasses);
  // Every read is timed by the outermost metrics plugin, whatever tier answered it.
  expect(metric('auth_adapter_operation_duration_seconds_count{operation="getSessionAndUser",outcome="ok"}')).toBe(bypasses + 1 + 20);
  expect(metric('auth_adapter_operation_duration_seconds_count{operation="getSessionAndUser",outcome="null"}')).toBe(1);

  // The example leaves no keys behind in the shared Redis.
  const prefix = /prefix (\S+)\)/.exec(run.line("6. "))?.[1];
  expect(prefix).toMatch(/^nak:example:/);
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
  try {
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  } finally {
    redis.disconnect();
  }
}, 90_000);
