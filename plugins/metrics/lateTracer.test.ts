/**
 * Spans with the global tracer: none while no tracing SDK is registered, and the provider an app
 * registers after the kit was built (or again after `trace.disable()`) gets them from the next call.
 */
import "reflect-metadata";
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Registry } from "prom-client";
import { createAdapterKit } from "../../src";
import { metrics } from ".";

function tracing() {
  const exporter = new InMemorySpanExporter();
  return { exporter, provider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }) };
}

afterEach(() => trace.disable());

test("no SDK, then one registered after the kit was built, then another after trace.disable(): each call's span goes where the app says", async () => {
  trace.disable();
  const kit = createAdapterKit({ stores: "memory", secret: "s".repeat(40), plugins: [metrics({ registry: new Registry(), openTelemetryMetrics: false })] });
  try {
    const first = tracing();
    await kit.authjs.getUserByEmail("nobody@example.com");
    await first.provider.forceFlush();
    expect(first.exporter.getFinishedSpans()).toHaveLength(0);

    trace.setGlobalTracerProvider(first.provider);
    await kit.authjs.getUserByEmail("nobody@example.com");
    expect(first.exporter.getFinishedSpans().map((s) => s.name)).toEqual(["getUserByEmail"]);

    trace.disable();
    await kit.authjs.getUser("1");
    const second = tracing();
    trace.setGlobalTracerProvider(second.provider);
    await kit.authjs.getUser("1");
    expect(second.exporter.getFinishedSpans().map((s) => s.name)).toEqual(["getUser"]);
    expect(first.exporter.getFinishedSpans().map((s) => s.name)).toEqual(["getUserByEmail"]);
    await Promise.all([first.provider.shutdown(), second.provider.shutdown()]);
  } finally {
    await kit.close();
  }
});

test("a tracerProvider given to the plugin gets the spans, whatever the global one is", async () => {
  trace.disable();
  const own = tracing();
  const global = tracing();
  const kit = createAdapterKit({ stores: "memory", secret: "s".repeat(40), plugins: [metrics({ registry: new Registry(), openTelemetryMetrics: false, tracerProvider: own.provider })] });
  try {
    await kit.authjs.getUser("1");
    trace.setGlobalTracerProvider(global.provider);
    await kit.authjs.getUser("2");
    expect(own.exporter.getFinishedSpans().map((s) => s.name)).toEqual(["getUser", "getUser"]);
    expect(global.exporter.getFinishedSpans()).toHaveLength(0);
    await Promise.all([own.provider.shutdown(), global.provider.shutdown()]);
  } finally {
    await kit.close();
  }
});
