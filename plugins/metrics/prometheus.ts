/**
 * The plugin's Prometheus series. A registry may already hold them (two kits, or the plugin created
 * twice on one registry): the existing metric is reused, since prom-client refuses a second one.
 */
import type { Counter, Histogram, Registry } from "prom-client";
import { AdapterError, ErrorCode } from "../../src/plugin-api";

export const DURATION_METRIC = "auth_adapter_operation_duration_seconds";
export const ERRORS_METRIC = "auth_adapter_operation_errors_total";
export const CACHE_METRIC = "auth_adapter_session_cache_requests_total";

/** Adapter calls take from under a millisecond (cache hit) to seconds (a database in trouble). */
export const DEFAULT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const CACHE_RESULTS = ["hit", "miss", "bypass", "rejected"] as const;

export interface OperationMetrics {
  duration: Histogram<"operation" | "outcome">;
  errors: Counter<"operation" | "code">;
  cacheRequests: Counter<"result">;
}

type PromClient = typeof import("prom-client");

export function operationMetrics(prom: PromClient, registry: Registry, buckets: readonly number[]): OperationMetrics {
  const duration = reuse(registry, DURATION_METRIC, ["operation", "outcome"], "observe") ??
    new prom.Histogram({
      name: DURATION_METRIC,
      help: "Duration of adapter operations in seconds, by operation and outcome (ok, null, error).",
      labelNames: ["operation", "outcome"] as const,
      buckets: [...buckets],
      registers: [registry],
    });
  const errors = reuse(registry, ERRORS_METRIC, ["operation", "code"], "inc") ??
    new prom.Counter({
      name: ERRORS_METRIC,
      help: "Failed adapter operations, by operation and AdapterError code.",
      labelNames: ["operation", "code"] as const,
      registers: [registry],
    });
  let cacheRequests = reuse(registry, CACHE_METRIC, ["result"], "inc") as Counter<"result"> | undefined;
  if (!cacheRequests) {
    cacheRequests = new prom.Counter({
      name: CACHE_METRIC,
      help: "Session cache lookups, by result: hit, miss, bypass (cache not trusted, database read), or rejected (forged Redis entry, database read).",
      labelNames: ["result"] as const,
      registers: [registry],
    });
    // Export every series from the start, so a rate() over them exists before the first hit.
    for (const result of CACHE_RESULTS) cacheRequests.inc({ result }, 0);
  }
  return { duration: duration as Histogram<"operation" | "outcome">, errors: errors as Counter<"operation" | "code">, cacheRequests };
}

/** The metric already registered under `name`, when it is the kind and shape this plugin records into. */
function reuse(registry: Registry, name: string, labels: readonly string[], method: "observe" | "inc"): unknown {
  const existing = registry.getSingleMetric(name) as unknown as Record<string, unknown> | undefined;
  if (!existing) return undefined;
  const labelNames = (existing.labelNames as string[] | undefined) ?? [];
  const sameLabels = labelNames.length === labels.length && labels.every((l) => labelNames.includes(l));
  if (typeof existing[method] !== "function" || !sameLabels) {
    throw new AdapterError(
      ErrorCode.CONFIGURATION,
      `metrics: the registry already holds a metric "${name}" of another kind or with other labels (expected labels ${labels.join(", ")})`,
    );
  }
  return existing;
}
