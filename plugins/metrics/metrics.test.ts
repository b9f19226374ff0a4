import "reflect-metadata";
import { SpanKind, SpanStatusCode, trace, type TracerProvider } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import * as promClient from "prom-client";
import { Counter, Registry } from "prom-client";
import {
  createAdapterKit,
  ErrorCode,
  Plugin,
  PluginOrder,
  TYPES,
  type AdapterKit,
  type AdapterPlugin,
  type KitEvents,
  type OperationContext,
  type PluginHost,
} from "../../src";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { metrics } from ".";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});
beforeEach(() => exporter.reset());

const inOneHour = () => new Date(Date.now() + 3600_000);

/** The value of one series in the text exposition, e.g. `series(text, 'x_count{operation="a"}')`. */
function series(text: string, name: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** A tiny plugin that hands the test the kit's event bus, standing in for the session cache. */
function eventTap(): AdapterPlugin & { host?: PluginHost } {
  const tap: AdapterPlugin & { host?: PluginHost } = {
    name: "event-tap",
    operations: [],
    around: (_ctx, next) => next(),
    setup(host) {
      tap.host = host;
    },
  };
  return tap;
}

/** OAuth sign-in, three session reads, one unknown token, then the same e-mail again. */
async function signIn(kit: AdapterKit, email: string) {
  const a = kit.authjs;
  const user = await a.createUser({ email, emailVerified: null, name: "Grace" });
  await a.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: `gh-${user.id}`, access_token: "gho_secretaccesstoken123" });
  const sessionToken = `sess-${user.id}-tokenvalue`;
  await a.createSession({ sessionToken, userId: user.id, expires: inOneHour() });
  for (let i = 0; i < 3; i++) expect(await a.getSessionAndUser(sessionToken)).not.toBeNull();
  expect(await a.getSessionAndUser("no-such-session")).toBeNull();
  await expect(a.createUser({ email, emailVerified: null })).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
  return { user, sessionToken };
}

describe("Prometheus series", () => {
  test("after a sign-in the exposition holds the durations and errors with the right counts, and no identifying label", async () => {
    const registry = new Registry();
    const kit = createAdapterKit({ stores: "memory", plugins: [metrics({ registry })] });
    const email = "grace@example.com";
    const { user, sessionToken } = await signIn(kit, email);
    const text = await registry.metrics();

    const count = (operation: string, outcome: string) => series(text, `auth_adapter_operation_duration_seconds_count{operation="${operation}",outcome="${outcome}"}`);
    expect(count("getSessionAndUser", "ok")).toBe(3);
    expect(count("getSessionAndUser", "null")).toBe(1);
    expect(count("createUser", "ok")).toBe(1);
    expect(count("createUser", "error")).toBe(1);
    expect(count("linkAccount", "ok")).toBe(1);
    expect(count("createSession", "ok")).toBe(1);
    expect(series(text, 'auth_adapter_operation_errors_total{operation="createUser",code="CONFLICT"}')).toBe(1);
    expect(text).toMatch(/auth_adapter_operation_duration_seconds_bucket\{le="\+Inf",operation="getSessionAndUser",outcome="ok"\} 3/);
    // Nothing else failed, and nothing that identifies a user or a session is a label value.
    expect(text.split("\n").filter((l) => l.startsWith("auth_adapter_operation_errors_total{"))).toHaveLength(1);
    for (const value of [email, user.id, sessionToken, "gho_secretaccesstoken123"]) expect(text).not.toContain(value);
    await kit.close();
  });

  test("the cache counter counts the kit's cache.request events by result", async () => {
    const plugin = metrics();
    const tap = eventTap();
    const kit = createAdapterKit({ stores: "memory", plugins: [plugin, tap] });
    // All three series exist at zero before the first lookup.
    const before = await plugin.registry.metrics();
    for (const result of ["hit", "miss", "bypass"]) expect(series(before, `auth_adapter_session_cache_requests_total{result="${result}"}`)).toBe(0);

    await kit.authjs.getUser("anyone"); // the kit sets its plugins up on the first call
    const emit = (result: KitEvents["cache.request"]["result"]) => tap.host!.emit("cache.request", { operation: "getSessionAndUser", result });
    emit("hit");
    emit("hit");
    emit("miss");
    emit("bypass");
    emit("stale" as never); // an unknown result never becomes a label value
    const text = await plugin.registry.metrics();
    expect(series(text, 'auth_adapter_session_cache_requests_total{result="hit"}')).toBe(2);
    expect(series(text, 'auth_adapter_session_cache_requests_total{result="miss"}')).toBe(1);
    expect(series(text, 'auth_adapter_session_cache_requests_total{result="bypass"}')).toBe(1);
    expect(text).not.toContain("stale");
    await kit.close();
  });

  test("two plugins on one registry share the series instead of throwing", async () => {
    const registry = new Registry();
    const first = createAdapterKit({ stores: "memory", plugins: [metrics({ registry })] });
    const second = createAdapterKit({ stores: "memory", plugins: [metrics({ registry })] });
    await first.authjs.getUser("a");
    await second.authjs.getUser("b");
    expect(series(await registry.metrics(), 'auth_adapter_operation_duration_seconds_count{operation="getUser",outcome="null"}')).toBe(2);
  });

  test("a same-named metric of another shape on the registry is a CONFIGURATION error", () => {
    const registry = new Registry();
    new Counter({ name: "auth_adapter_operation_errors_total", help: "someone else's", labelNames: ["user"], registers: [registry] });
    expect(() => metrics({ registry })).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION }));
  });

  test("defaults to PluginOrder.METRICS, outermost; the order can be changed", () => {
    expect(metrics().order).toBe(PluginOrder.METRICS);
    expect(metrics({ order: 7 }).order).toBe(7);
  });
});

describe("OpenTelemetry spans", () => {
  test("one CLIENT span per operation, named after it, with db.operation.name and an ERROR status carrying the code", async () => {
    const kit = createAdapterKit({ stores: "memory", plugins: [metrics({ dbSystemName: "postgresql" })] });
    const email = "heidi@example.com";
    const { user, sessionToken } = await signIn(kit, email);
    const spans = exporter.getFinishedSpans();
    const operations = ["createUser", "linkAccount", "createSession", "getSessionAndUser", "getSessionAndUser", "getSessionAndUser", "getSessionAndUser", "createUser"];
    expect(spans.map((s) => s.name)).toEqual(operations);
    for (const [i, span] of spans.entries()) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.attributes).toEqual({
        "db.operation.name": operations[i],
        "db.system.name": "postgresql",
        ...(i === spans.length - 1 ? { "error.type": "CONFLICT" } : {}),
      });
    }
    expect(spans.at(-1)!.status).toEqual({ code: SpanStatusCode.ERROR, message: "CONFLICT" });
    expect(spans.slice(0, -1).every((s) => s.status.code === SpanStatusCode.UNSET)).toBe(true);
    const everything = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })));
    for (const value of [email, user.id, sessionToken, "gho_secretaccesstoken123"]) expect(everything).not.toContain(value);
    await kit.close();
  });

  test("a tracer that throws never breaks the call, and the series are still recorded", async () => {
    const broken = {
      getTracer: () => ({
        startActiveSpan: () => {
          throw new Error("tracer down");
        },
      }),
    } as unknown as TracerProvider;
    const plugin = metrics({ tracerProvider: broken });
    const kit = createAdapterKit({ stores: "memory", plugins: [plugin] });
    const user = await kit.authjs.createUser({ email: "judy@example.com", emailVerified: null });
    expect(await kit.authjs.getUser(user.id)).toEqual(user);
    await expect(kit.authjs.createUser({ email: "judy@example.com", emailVerified: null })).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
    const text = await plugin.registry.metrics();
    expect(series(text, 'auth_adapter_operation_duration_seconds_count{operation="getUser",outcome="ok"}')).toBe(1);
    expect(series(text, 'auth_adapter_operation_errors_total{operation="createUser",code="CONFLICT"}')).toBe(1);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  test("tracing: false records the series without spans", async () => {
    const plugin = metrics({ tracing: false });
    const kit = createAdapterKit({ stores: "memory", plugins: [plugin] });
    await kit.authjs.getUser("nobody");
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(series(await plugin.registry.metrics(), 'auth_adapter_operation_duration_seconds_count{operation="getUser",outcome="null"}')).toBe(1);
  });
});

describe("metrics on PostgreSQL, registered as a decorated class through the container", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  test("the class wrapping the factory records series and spans for both facades, and hears the cache events", async () => {
    const registry = new Registry();
    @Plugin({ name: "container-metrics", order: PluginOrder.METRICS })
    class ContainerMetrics {
      private readonly inner = metrics({ registry });
      around(ctx: OperationContext, next: () => Promise<unknown>) {
        return this.inner.around(ctx, next);
      }
      setup(host: PluginHost) {
        this.inner.setup!(host);
      }
    }
    const kit = createAdapterKit({ database: db.url, synchronize: true });
    const tap = eventTap();
    kit.use(tap);
    kit.container.bind(TYPES.Plugin).to(ContainerMetrics);
    kit.reload();
    try {
      await signIn(kit, "ivan@example.com");
      const v3 = await kit.legacy.getAdapter({ secret: "v3-secret" });
      const bob = await v3.createUser({ name: "Bob", email: "bob@example.com" });
      expect(await v3.getSession("unknown-v3-session")).toBeNull();
      tap.host!.emit("cache.request", { operation: "getSessionAndUser", result: "miss" });

      const text = await registry.metrics();
      expect(series(text, 'auth_adapter_operation_duration_seconds_count{operation="getSessionAndUser",outcome="ok"}')).toBe(3);
      expect(series(text, 'auth_adapter_operation_duration_seconds_count{operation="getSessionAndUser",outcome="null"}')).toBe(2);
      expect(series(text, 'auth_adapter_operation_duration_seconds_count{operation="createUser",outcome="ok"}')).toBe(2);
      expect(series(text, 'auth_adapter_operation_errors_total{operation="createUser",code="CONFLICT"}')).toBe(1);
      expect(series(text, 'auth_adapter_session_cache_requests_total{result="miss"}')).toBe(1);
      expect(text).not.toContain(bob.id);
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([
        "createUser",
        "linkAccount",
        "createSession",
        "getSessionAndUser",
        "getSessionAndUser",
        "getSessionAndUser",
        "getSessionAndUser",
        "createUser",
        "createUser",
        "getSessionAndUser",
      ]);
    } finally {
      await kit.close();
    }
  });
});

describe("optional peers", () => {
  test("without prom-client, or without @opentelemetry/api while tracing or recording OpenTelemetry metrics, metrics() is a CONFIGURATION error naming the package", () => {
    const missing = (name: string) => () => {
      throw Object.assign(new Error(`Cannot find module '${name}'`), { code: "MODULE_NOT_FOUND" });
    };
    jest.isolateModules(() => {
      jest.doMock("prom-client", missing("prom-client"));
      const fresh = require(".") as typeof import(".");
      expect(() => fresh.metrics()).toThrow(expect.objectContaining({ code: "CONFIGURATION", message: expect.stringContaining('"prom-client"') }));
    });
    jest.isolateModules(() => {
      // prom-client itself requires @opentelemetry/api: hand over the copy already loaded.
      jest.doMock("prom-client", () => promClient);
      jest.doMock("@opentelemetry/api", missing("@opentelemetry/api"));
      const fresh = require(".") as typeof import(".");
      expect(() => fresh.metrics()).toThrow(expect.objectContaining({ code: "CONFIGURATION", message: expect.stringContaining('"@opentelemetry/api"') }));
      expect(() => fresh.metrics({ tracing: false })).toThrow(expect.objectContaining({ code: "CONFIGURATION", message: expect.stringContaining('"@opentelemetry/api"') }));
      expect(() => fresh.metrics({ tracing: false, openTelemetryMetrics: false })).not.toThrow();
    });
    jest.dontMock("prom-client");
    jest.dontMock("@opentelemetry/api");
  });
});
