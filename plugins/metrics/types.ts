/**
 * The parts of prom-client and @opentelemetry/api that the plugin's public types mention, written
 * out structurally: the published declarations must compile in an app that has neither package
 * (skipLibCheck: false). A prom-client `Registry` or an OpenTelemetry provider fits these as is.
 */

/** A prom-client `Registry` (what the plugin registers into and what /metrics serves). */
export interface PromRegistry {
  metrics(): Promise<string>;
  readonly contentType: string;
  getSingleMetric(name: string): unknown;
}

/** An OpenTelemetry `TracerProvider`. */
export interface OtelTracerProvider {
  getTracer(name: string, version?: string, options?: unknown): unknown;
}

/** An OpenTelemetry `MeterProvider`. */
export interface OtelMeterProvider {
  getMeter(name: string, version?: string, options?: unknown): unknown;
}
