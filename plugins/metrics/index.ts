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
 * One span per operation through `@opentelemetry/api` (a no-op until the app registers an SDK).
 *
 * Order: `PluginOrder.METRICS`, outermost, so the duration includes the other plugins (the
 * cache's hit, the hashing) as the caller experiences it.
 */
import type { Registry } from "prom-client";
import type { TracerProvider } from "@opentelemetry/api";
import { optionalPeer, PluginOrder, toAdapterError, type AdapterPlugin } from "../../src/plugin-api";
import { CACHE_RESULTS, DEFAULT_BUCKETS, operationMetrics } from "./prometheus";
import { spanRunner, type SpanRunner } from "./tracing";

export interface MetricsOptions {
  /** The prom-client Registry to register into. Default: a new Registry, exposed as `plugin.registry`. */
  registry?: Registry;
  /** Histogram buckets in seconds. Default: 0.5 ms to 5 s. */
  buckets?: readonly number[];
  /** OpenTelemetry spans. Default true (free until the app registers an SDK); false drops the dependency. */
  tracing?: boolean;
  /** A TracerProvider to use instead of the global one. */
  tracerProvider?: TracerProvider;
  /** `db.system.name` on spans, e.g. "postgresql", when the app knows which database backs the stores. */
  dbSystemName?: string;
  /** Position in the onion; default `PluginOrder.METRICS` (outermost). */
  order?: number;
}

/** The plugin, with the registry it records into (serve `await plugin.registry.metrics()` at /metrics). */
export interface MetricsPlugin extends AdapterPlugin {
  readonly registry: Registry;
}

export const METRICS_PLUGIN_NAME = "metrics";

export function metrics(options: MetricsOptions = {}): MetricsPlugin {
  const prom = optionalPeer<typeof import("prom-client")>("prom-client", "metrics()", () => require("prom-client"));
  const registry = options.registry ?? new prom.Registry();
  const series = operationMetrics(prom, registry, options.buckets ?? DEFAULT_BUCKETS);
  const spans: SpanRunner | undefined =
    options.tracing === false
      ? undefined
      : spanRunner(
          optionalPeer("@opentelemetry/api", "metrics() tracing (or pass tracing: false)", () => require("@opentelemetry/api")),
          options.tracerProvider,
          options.dbSystemName,
        );

  /** Records one settled call; returns the error code for the span. Never throws. */
  function record(operation: string, started: number, result: unknown, error: unknown, failed: boolean): string | undefined {
    try {
      const seconds = (performance.now() - started) / 1000;
      if (failed) {
        const code = toAdapterError(error, operation).code;
        series.duration.observe({ operation, outcome: "error" }, seconds);
        series.errors.inc({ operation, code });
        return code;
      }
      series.duration.observe({ operation, outcome: result === null || result === undefined ? "null" : "ok" }, seconds);
    } catch {
      // Metrics must never fail the adapter call they measure.
    }
    return undefined;
  }

  async function measured(operation: string, next: () => Promise<unknown>, end?: (code: string | undefined) => void): Promise<unknown> {
    const started = performance.now();
    try {
      const result = await next();
      record(operation, started, result, undefined, false);
      end?.(undefined);
      return result;
    } catch (error) {
      // Recorded first: `end?.(record(...))` would skip the recording whenever tracing is off.
      const code = record(operation, started, undefined, error, true);
      end?.(code);
      throw error;
    }
  }

  return {
    name: METRICS_PLUGIN_NAME,
    order: options.order ?? PluginOrder.METRICS,
    registry,
    around(ctx, next) {
      return spans ? spans.run(ctx, (end) => measured(ctx.operation, next, end)) : measured(ctx.operation, next);
    },
    setup(host) {
      host.on("cache.request", ({ result }) => {
        // Only the known results become a label value: a label set must stay bounded.
        if ((CACHE_RESULTS as readonly string[]).includes(result)) series.cacheRequests.inc({ result });
      });
    },
  };
}
