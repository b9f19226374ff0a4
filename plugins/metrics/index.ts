/**
 * metrics: Prometheus series (prom-client) and OpenTelemetry spans for every adapter operation.
 *
 * - `auth_adapter_operation_duration_seconds{operation, outcome}`: outcome is ok, null (the
 *   operation found nothing) or error.
 * - `auth_adapter_operation_errors_total{operation, code}`: code is the AdapterError code.
 * - `auth_adapter_session_cache_requests_total{result}`: hit, miss, bypass or rejected, fed by the session
 *   cache through the kit's `cache.request` event.
 * Labels hold only operation names, outcomes and codes: never a user id, an e-mail or a token.
 *
 * Through `@opentelemetry/api` (no-ops until the app registers an SDK): one span per operation, and
 * the OpenTelemetry metrics `db.client.operation.duration` and `auth_adapter.session_cache.requests`
 * (see openTelemetryMetrics.ts).
 *
 * Order: `PluginOrder.METRICS`, outermost, so the duration includes the other plugins (the
 * cache's hit, the hashing) as the caller experiences it.
 */
import type { MeterProvider, Span, TracerProvider } from "@opentelemetry/api";
import type { Registry } from "prom-client";
import { optionalPeer, PluginOrder, toAdapterError, type AdapterPlugin } from "../../src/plugin-api";
import { otelRecorder, type OtelRecorder } from "./openTelemetryMetrics";
import { DirectCounter, DirectHistogram } from "./directSeries";
import { CACHE_RESULTS, DEFAULT_BUCKETS, operationMetrics } from "./prometheus";
import { recordReplicaEvents } from "./replicaMetrics";
import { spanRunner, type SpanRunner } from "./tracing";
import type { OtelMeterProvider, OtelTracerProvider, PromRegistry } from "./types";

export type { OtelMeterProvider, OtelTracerProvider, PromRegistry } from "./types";

export interface MetricsOptions<R extends PromRegistry = PromRegistry> {
  /** The prom-client Registry to register into. Default: a new Registry, exposed as `plugin.registry`. */
  registry?: R;
  /** Histogram buckets in seconds. Default: 0.5 ms to 5 s. */
  buckets?: readonly number[];
  /** OpenTelemetry spans. Default true (free until the app registers an SDK). */
  tracing?: boolean;
  /** A TracerProvider to use instead of the global one. */
  tracerProvider?: OtelTracerProvider;
  /**
   * OpenTelemetry metrics (`db.client.operation.duration`, the cache counter). Default true (free
   * until the app registers an SDK). With `tracing: false` too, `@opentelemetry/api` is not needed.
   */
  openTelemetryMetrics?: boolean;
  /** A MeterProvider to use instead of the global one. */
  meterProvider?: OtelMeterProvider;
  /** `db.system.name` on spans and OpenTelemetry metrics, e.g. "postgresql" (the plugin cannot see the stores). */
  dbSystemName?: string;
  /** Position in the onion; default `PluginOrder.METRICS` (outermost). */
  order?: number;
}

/** The plugin, with the registry it records into (serve `await plugin.registry.metrics()` at /metrics). */
export interface MetricsPlugin<R extends PromRegistry = PromRegistry> extends AdapterPlugin {
  readonly registry: R;
}

export const METRICS_PLUGIN_NAME = "metrics";

export function metrics<R extends PromRegistry = PromRegistry>(options: MetricsOptions<R> = {}): MetricsPlugin<R> {
  const prom = optionalPeer<typeof import("prom-client")>("prom-client", "metrics()", () => require("prom-client"));
  const registry = (options.registry ?? new prom.Registry()) as R;
  const series = operationMetrics(prom, registry as unknown as Registry, options.buckets ?? DEFAULT_BUCKETS);
  const otel = () =>
    optionalPeer<typeof import("@opentelemetry/api")>("@opentelemetry/api", "metrics() with OpenTelemetry (or pass tracing: false, openTelemetryMetrics: false)", () =>
      require("@opentelemetry/api"),
    );
  const spans: SpanRunner | undefined =
    options.tracing === false ? undefined : spanRunner(otel(), options.tracerProvider as TracerProvider | undefined, options.dbSystemName);
  const otelMetrics: OtelRecorder | undefined =
    options.openTelemetryMetrics === false ? undefined : otelRecorder(otel(), options.meterProvider as MeterProvider | undefined, options.dbSystemName);

  // Bound label sets, made once per operation and outcome: prom-client's `observe(labels, v)`
  // builds a label object and a closure per call, on top of hashing the labels; its bound child
  // still hashes them per call (see directSeries.ts).
  const durations = new Map<string, Record<"ok" | "null" | "error", DirectHistogram>>();
  const durationsOf = (operation: string) => {
    let children = durations.get(operation);
    if (!children) {
      const of = (outcome: string) => {
        const labels = { operation, outcome };
        return new DirectHistogram(series.duration, series.duration.labels(labels), labels);
      };
      children = { ok: of("ok"), null: of("null"), error: of("error") };
      // Bounded: the pipeline runs the registry's operations only.
      if (durations.size < 1000) durations.set(operation, children);
    }
    return children;
  };
  const cacheCounters = new Map(
    CACHE_RESULTS.map((result) => [result as string, new DirectCounter(series.cacheRequests, series.cacheRequests.labels({ result }), { result })]),
  );

  /** Records one settled call; returns the error code for the span. Never throws. */
  function record(operation: string, started: number, result: unknown, error: unknown, failed: boolean): string | undefined {
    try {
      const seconds = (performance.now() - started) / 1000;
      if (failed) {
        const code = toAdapterError(error, operation).code;
        durationsOf(operation).error.observe(seconds);
        series.errors.inc({ operation, code });
        otelMetrics?.operation(operation, seconds, code);
        return code;
      }
      durationsOf(operation)[result === null || result === undefined ? "null" : "ok"].observe(seconds);
      otelMetrics?.operation(operation, seconds, undefined);
    } catch {
      // Metrics must never fail the adapter call they measure.
    }
    return undefined;
  }

  /**
   * Times `next()` and records it; ends `span` (when there is one to end) with the error code. An
   * observer beside the call, not a step in it: the caller gets `next()`'s own promise, and the
   * handlers (attached before any outer layer's, so they run first) never throw.
   */
  function measured(operation: string, next: () => Promise<unknown>, span: Span | undefined): Promise<unknown> {
    const started = performance.now();
    const inward = next();
    inward.then(
      (result) => {
        record(operation, started, result, undefined, false);
        if (span) spans!.end(span, undefined);
      },
      (error: unknown) => {
        // Recorded first: without a span the recording must still happen.
        const code = record(operation, started, undefined, error, true);
        if (span) spans!.end(span, code);
      },
    );
    return inward;
  }

  return {
    name: METRICS_PLUGIN_NAME,
    order: options.order ?? PluginOrder.METRICS,
    registry,
    around(ctx, next) {
      return spans ? spans.run(ctx.operation, next, measured) : measured(ctx.operation, next, undefined);
    },
    setup(host) {
      recordReplicaEvents(prom, registry as unknown as Registry, host);
      host.on("cache.request", ({ result }) => {
        // Only the three known results become a label value: a label set must stay bounded.
        const counter = cacheCounters.get(result);
        if (!counter) return;
        try {
          counter.inc();
          otelMetrics?.cache(result);
        } catch {
          // Metrics must never fail the cache lookup they count.
        }
      });
    },
  };
}
