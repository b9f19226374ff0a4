/**
 * The metrics plugin's OpenTelemetry metrics, read back through the SDK's in-memory exporter: the
 * duration histogram after the database client semantic conventions and the cache counter, with
 * attribute values that are only operation names, codes and results.
 */
import "reflect-metadata";
import { metrics as otelMetricsApi } from "@opentelemetry/api";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type Histogram } from "@opentelemetry/sdk-metrics";
import { Registry } from "prom-client";
import { createAdapterKit, ErrorCode, type AdapterPlugin, type PluginHost } from "../../src";
import { metrics } from ".";
import { OTEL_CACHE_METRIC, OTEL_DURATION_METRIC } from "./openTelemetryMetrics";

const SECRET_TOKEN = "sess-secret-token-value";
const EMAIL = "grace@example.com";

/** An SDK with an in-memory exporter; `collect()` flushes and returns every data point by metric name. */
function sdk() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ readers: [reader] });
  return {
    provider,
    async collect(): Promise<Map<string, { unit: string; points: DataPoint<unknown>[] }>> {
      await reader.forceFlush();
      const byName = new Map<string, { unit: string; points: DataPoint<unknown>[] }>();
      for (const resource of exporter.getMetrics()) {
        for (const scope of resource.scopeMetrics) {
          for (const metric of scope.metrics) byName.set(metric.descriptor.name, { unit: metric.descriptor.unit, points: metric.dataPoints });
        }
      }
      exporter.reset();
      return byName;
    },
    shutdown: () => provider.shutdown(),
  };
}

/** Stands in for the session cache: hands the test the kit's event bus. */
function eventTap(): AdapterPlugin & { host?: PluginHost } {
  const tap: AdapterPlugin & { host?: PluginHost } = { name: "event-tap", operations: [], around: (_ctx, next) => next(), setup: (host) => void (tap.host = host) };
  return tap;
}

describe("OpenTelemetry metrics", () => {
  test("db.client.operation.duration: one histogram point per operation and outcome, error.type on failure, no caller value", async () => {
    const otel = sdk();
    const tap = eventTap();
    const kit = createAdapterKit({ stores: "memory", plugins: [metrics({ registry: new Registry(), meterProvider: otel.provider, dbSystemName: "postgresql", tracing: false }), tap] });
    try {
      const user = await kit.authjs.createUser({ email: EMAIL, emailVerified: null });
      await kit.authjs.createSession({ sessionToken: SECRET_TOKEN, userId: user.id, expires: new Date(Date.now() + 60_000) });
      for (let i = 0; i < 3; i++) await kit.authjs.getSessionAndUser(SECRET_TOKEN);
      await expect(kit.authjs.createUser({ email: EMAIL, emailVerified: null })).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
      for (const result of ["hit", "hit", "miss", "bypass", "not-a-result"]) tap.host!.emit("cache.request", { result } as never);

      const collected = await otel.collect();
      const duration = collected.get(OTEL_DURATION_METRIC)!;
      expect(duration.unit).toBe("s");
      const counts = duration.points.map((p) => ({ attributes: p.attributes, count: (p.value as Histogram).count }));
      expect(counts).toEqual(
        expect.arrayContaining([
          { attributes: { "db.operation.name": "createUser", "db.system.name": "postgresql" }, count: 1 },
          { attributes: { "db.operation.name": "createUser", "db.system.name": "postgresql", "error.type": "CONFLICT" }, count: 1 },
          { attributes: { "db.operation.name": "createSession", "db.system.name": "postgresql" }, count: 1 },
          { attributes: { "db.operation.name": "getSessionAndUser", "db.system.name": "postgresql" }, count: 3 },
        ]),
      );
      expect(counts).toHaveLength(4);
      for (const p of duration.points) expect((p.value as Histogram).sum).toBeGreaterThan(0);

      const cache = collected.get(OTEL_CACHE_METRIC)!;
      expect(cache.points.map((p) => [p.attributes["auth_adapter.cache.result"], p.value]).sort()).toEqual([["bypass", 1], ["hit", 2], ["miss", 1]]);

      const everything = JSON.stringify([...collected.values()].map((m) => m.points.map((p) => p.attributes)));
      expect(everything).not.toContain(SECRET_TOKEN);
      expect(everything).not.toContain(EMAIL);
      expect(everything).not.toContain(user.id);
    } finally {
      await kit.close();
      await otel.shutdown();
    }
  });

  test("the global MeterProvider is followed, also when the app registers it after building the kit", async () => {
    const kit = createAdapterKit({ stores: "memory", plugins: [metrics({ registry: new Registry(), tracing: false })] });
    const otel = sdk();
    try {
      await kit.authjs.getUser("nobody"); // before the SDK exists: recorded into the no-op provider
      otelMetricsApi.setGlobalMeterProvider(otel.provider);
      await kit.authjs.getUser("nobody");
      const points = (await otel.collect()).get(OTEL_DURATION_METRIC)!.points;
      expect(points.map((p) => [p.attributes, (p.value as Histogram).count])).toEqual([[{ "db.operation.name": "getUser" }, 1]]);
    } finally {
      otelMetricsApi.disable();
      await kit.close();
      await otel.shutdown();
    }
  });

  test("openTelemetryMetrics: false records none", async () => {
    const otel = sdk();
    const kit = createAdapterKit({ stores: "memory", plugins: [metrics({ registry: new Registry(), meterProvider: otel.provider, openTelemetryMetrics: false, tracing: false })] });
    try {
      await kit.authjs.getUser("nobody");
      expect((await otel.collect()).size).toBe(0);
    } finally {
      await kit.close();
      await otel.shutdown();
    }
  });
});
