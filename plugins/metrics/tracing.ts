/**
 * OpenTelemetry spans after the database client semantic conventions: the span is named after the
 * operation, kind CLIENT, with `db.operation.name` (and `db.system.name` when the app says which
 * database). Only those names go into attributes: never an argument, a token or an e-mail.
 */
import type { Attributes, Span, SpanOptions, Tracer, TracerProvider } from "@opentelemetry/api";

type OtelApi = typeof import("@opentelemetry/api");

export const TRACER_NAME = "nextauth-adapter-kit";

/** The body a span wraps: runs `next` and ends `span` (when given) with the error code. */
type Body = (operation: string, next: () => Promise<unknown>, span: Span | undefined) => Promise<unknown>;

export interface SpanRunner {
  /** Runs `body` inside a span for `operation`; `body` ends the span (`end`) when it settles. */
  run(operation: string, next: () => Promise<unknown>, body: Body): Promise<unknown>;
  /** Ends `span`, with an ERROR status carrying the code when the call failed. Never throws. */
  end(span: Span, errorCode: string | undefined): void;
}

export function spanRunner(api: OtelApi, provider: TracerProvider | undefined, dbSystemName: string | undefined): SpanRunner {
  // A provider given to the plugin is used as it is. Otherwise the tracer is looked up on each
  // traced call: the global provider can be registered after the kit is built, or replaced after
  // `trace.disable()`, and a tracer taken once would keep sending spans to the old one.
  const given: Tracer | undefined = provider?.getTracer(TRACER_NAME);
  // The span options of each operation, made once (a tracer copies the attributes it keeps).
  const optionsOf = new Map<string, SpanOptions>();
  const spanOptions = (operation: string): SpanOptions => {
    let options = optionsOf.get(operation);
    if (!options) {
      const attributes: Attributes = { "db.operation.name": operation };
      if (dbSystemName) attributes["db.system.name"] = dbSystemName;
      options = { kind: api.SpanKind.CLIENT, attributes };
      if (optionsOf.size < 1000) optionsOf.set(operation, options);
    }
    return options;
  };
  // Without a tracing SDK the global provider is a proxy with no delegate, and every span it makes
  // is a no-op: asking for one costs more than the rest of this plugin's work on a cache hit.
  const noDelegate = new api.ProxyTracerProvider().getDelegate();
  /** The tracer for this call, or undefined when no tracing SDK is registered. */
  const tracerNow = (): Tracer | undefined => {
    if (given) return given;
    const global = api.trace.getTracerProvider();
    if (global instanceof api.ProxyTracerProvider && global.getDelegate() === noDelegate) return undefined;
    return global.getTracer(TRACER_NAME);
  };
  /**
   * A span for this call, or undefined when it would change nothing for anyone: no tracing SDK, or
   * a span that records nothing and has an invalid context (a no-op tracer's). startActiveSpan is
   * startSpan plus a context carrying the span for the code inside; for such a span that context
   * (a Map copy per call) is skipped, and so is ending it.
   */
  const liveSpan = (operation: string): Span | undefined => {
    const tracer = tracerNow();
    if (!tracer) return undefined;
    const span = tracer.startSpan(operation, spanOptions(operation));
    const context = span.spanContext();
    // The identity test first: the no-op tracer's span carries the shared invalid context (the validity test runs regexes).
    const inert = !span.isRecording() && (context === api.INVALID_SPAN_CONTEXT || !api.isSpanContextValid(context));
    return inert ? undefined : span;
  };
  return {
    run(operation, next, body) {
      let span: Span | undefined;
      try {
        span = liveSpan(operation);
      } catch {
        // A tracer that fails before running the call must not cost the call itself.
        span = undefined;
      }
      if (!span) return body(operation, next, undefined);
      let started = false;
      try {
        return api.context.with(api.trace.setSpan(api.context.active(), span), () => {
          started = true;
          return body(operation, next, span);
        });
      } catch (error) {
        if (started) throw error;
        return body(operation, next, span);
      }
    },
    end(span, errorCode) {
      try {
        if (errorCode !== undefined) {
          span.setAttribute("error.type", errorCode);
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorCode });
        }
        span.end();
      } catch {
        // A broken exporter must not fail the adapter call.
      }
    },
  };
}
