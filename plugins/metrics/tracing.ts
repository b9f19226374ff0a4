/**
 * OpenTelemetry spans after the database client semantic conventions: the span is named after the
 * operation, kind CLIENT, with `db.operation.name` (and `db.system.name` when the app says which
 * database). Only those names go into attributes: never an argument, a token or an e-mail.
 */
import type { Attributes, Span, Tracer, TracerProvider } from "@opentelemetry/api";
import type { OperationContext } from "../../src/plugin-api";

type OtelApi = typeof import("@opentelemetry/api");

export const TRACER_NAME = "nextauth-adapter-kit";

export interface SpanRunner {
  /** Runs `body` inside a span for `ctx`; `body` reports the error code (or undefined) when it settles. */
  run<T>(ctx: OperationContext, body: (end: (errorCode: string | undefined) => void) => Promise<T>): Promise<T>;
}

export function spanRunner(api: OtelApi, provider: TracerProvider | undefined, dbSystemName: string | undefined): SpanRunner {
  // The global tracer is a proxy: it follows a provider the app registers after the kit is built.
  const tracer: Tracer = (provider ?? api.trace).getTracer(TRACER_NAME);
  return {
    run(ctx, body) {
      const attributes: Attributes = { "db.operation.name": ctx.operation };
      if (dbSystemName) attributes["db.system.name"] = dbSystemName;
      // startActiveSpan is startSpan plus a context carrying the span for the code inside. Without a
      // tracing SDK the span is a no-op with an invalid context, and a context carrying it would
      // change nothing for anyone: that context (a Map copy per call) is skipped then.
      let span: Span;
      let inert: boolean;
      try {
        span = tracer.startSpan(ctx.operation, { kind: api.SpanKind.CLIENT, attributes });
        const context = span.spanContext();
        // The identity test first: the no-op tracer's span carries the shared invalid context (the validity test runs regexes).
        inert = !span.isRecording() && (context === api.INVALID_SPAN_CONTEXT || !api.isSpanContextValid(context));
      } catch {
        // A tracer that fails before running the call must not cost the call itself.
        return body(() => undefined);
      }
      if (inert) return body(ender(span));
      let started = false;
      try {
        return api.context.with(api.trace.setSpan(api.context.active(), span), () => {
          started = true;
          return body(ender(span));
        });
      } catch (error) {
        if (started) throw error;
        return body(ender(span));
      }
    },
  };

  function ender(span: Span): (errorCode: string | undefined) => void {
    return (errorCode) => {
      try {
        if (errorCode !== undefined) {
          span.setAttribute("error.type", errorCode);
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorCode });
        }
        span.end();
      } catch {
        // A broken exporter must not fail the adapter call.
      }
    };
  }
}
