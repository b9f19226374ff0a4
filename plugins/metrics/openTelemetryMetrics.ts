/**
 * OpenTelemetry metrics after the database client semantic conventions:
 * - `db.client.operation.duration` (histogram, seconds) with `db.operation.name` (the canonical
 *   operation), `db.system.name` (when the app says which database) and, on failure, `error.type`
 *   (the AdapterError code);
 * - `auth_adapter.session_cache.requests` (counter) with `auth_adapter.cache.result`: hit, miss, bypass.
 * Attribute values are names and codes the kit defines: never an argument, a token or an e-mail.
 */
import type { Attributes, Counter, Histogram, Meter, MeterProvider } from "@opentelemetry/api";

type OtelApi = typeof import("@opentelemetry/api");

export const METER_NAME = "nextauth-adapter-kit";
export const OTEL_DURATION_METRIC = "db.client.operation.duration";
export const OTEL_CACHE_METRIC = "auth_adapter.session_cache.requests";
/** The semantic conventions' advice for `db.client.operation.duration`. */
const DURATION_BOUNDARIES = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

interface Instruments {
  provider: MeterProvider;
  duration: Histogram;
  cacheRequests: Counter;
}

export interface OtelRecorder {
  /** One settled operation; `errorType` is the AdapterError code when it failed. */
  operation(operation: string, seconds: number, errorType: string | undefined): void;
  cache(result: string): void;
}

export function otelRecorder(api: OtelApi, provider: MeterProvider | undefined, dbSystemName: string | undefined): OtelRecorder {
  let instruments: Instruments | undefined;
  /**
   * The global MeterProvider is not a proxy (unlike the tracer's): follow the one registered now,
   * so an SDK the app registers after building the kit still receives the metrics.
   */
  const current = (): Instruments => {
    const active = provider ?? api.metrics.getMeterProvider();
    if (instruments?.provider !== active) instruments = create(active, active.getMeter(METER_NAME));
    return instruments;
  };
  // The attributes of each operation's successful calls and of each cache result, made once (an
  // SDK copies what it keeps); a failure's carry its code and are made when it happens.
  const okAttributes = new Map<string, Attributes>();
  const attributesOf = (operation: string, errorType: string | undefined): Attributes => {
    let attributes = errorType === undefined ? okAttributes.get(operation) : undefined;
    if (!attributes) {
      attributes = { "db.operation.name": operation };
      if (dbSystemName) attributes["db.system.name"] = dbSystemName;
      if (errorType !== undefined) attributes["error.type"] = errorType;
      else if (okAttributes.size < 1000) okAttributes.set(operation, attributes);
    }
    return attributes;
  };
  const cacheAttributes = new Map<string, Attributes>();
  return {
    operation(operation, seconds, errorType) {
      // A broken SDK or exporter must not fail the adapter call being measured.
      try {
        current().duration.record(seconds, attributesOf(operation, errorType));
      } catch {
        // dropped: metrics are best effort
      }
    },
    cache(result) {
      try {
        let attributes = cacheAttributes.get(result);
        if (!attributes) cacheAttributes.set(result, (attributes = { "auth_adapter.cache.result": result }));
        current().cacheRequests.add(1, attributes);
      } catch {
        // dropped, as above
      }
    },
  };
}

function create(provider: MeterProvider, meter: Meter): Instruments {
  return {
    provider,
    duration: meter.createHistogram(OTEL_DURATION_METRIC, {
      unit: "s",
      description: "Duration of database client operations (one per adapter operation).",
      advice: { explicitBucketBoundaries: DURATION_BOUNDARIES },
    }),
    cacheRequests: meter.createCounter(OTEL_CACHE_METRIC, {
      unit: "{request}",
      description: "Session cache lookups, by result: hit, miss, or bypass (cache not trusted, database read).",
    }),
  };
}
