import { AdapterError, ErrorCode, toAdapterError } from "../errors/AdapterError";
import { TRANSLATES_ERRORS, type OperationContext } from "./operations";
import { PLUGIN_INSTANCE, type AdapterPlugin } from "./plugin";

export type Invoke = (ctx: OperationContext) => Promise<unknown>;

/**
 * Wraps `terminal` in `plugins`, first plugin outermost (koa-compose's onion). Composed once per
 * operation.
 *
 * - Each layer gets its own copy of the context when it calls inward: a plugin may replace
 *   `ctx.args` for the layers inside it (the hashing plugin hands them the hash), but the layers
 *   outside still see the arguments as they were when they called `next()`.
 * - Whatever a layer (or the terminal) throws is translated to an AdapterError naming the
 *   operation where it leaves that layer, once: the layers outside receive that same object.
 * - `next()` runs the inner layers once per call; a second `next()` rejects with INTERNAL.
 */
export function compose(plugins: readonly AdapterPlugin[], terminal: Invoke): Invoke {
  const open = composeOpen(plugins, terminal);
  return (ctx) => open(ctx).then(undefined, rethrowFor(ctx.operation));
}

/**
 * `compose` without the outermost boundary's rejection handler: the caller adds it (the pipeline
 * does, in the one `then` it needs anyway). A synchronous throw still leaves as a translated rejection.
 *
 * What a call costs, per plugin: one `next` closure and one context copy; and one promise for the
 * boundary, unless the plugin returned `next()`'s own promise (a pass-through), whose rejection the
 * inner boundary has translated already. No async function: each would add a promise and a tick.
 *
 * `terminalTranslates`: the terminal's promise rejects only with AdapterErrors naming the operation
 * (see `TRANSLATES_ERRORS`), so the innermost boundary adds no `then` of its own.
 */
export function composeOpen(plugins: readonly AdapterPlugin[], terminal: Invoke, terminalTranslates = false): Invoke {
  let run = boundary(terminal, plugins.length > 0 && !terminalTranslates);
  for (let i = plugins.length - 1; i >= 0; i--) run = layer(plugins[i]!, run, i > 0);
  return run;
}

/** The terminal: a synchronous throw or (when `translate`) a rejection leaves as an AdapterError. */
function boundary(terminal: Invoke, translate: boolean): Invoke {
  return (ctx) => {
    let out: Promise<unknown>;
    try {
      out = terminal(ctx);
    } catch (error) {
      return Promise.reject(toAdapterError(error, ctx.operation));
    }
    return translate ? Promise.resolve(out).then(undefined, rethrowFor(ctx.operation)) : Promise.resolve(out);
  };
}

/** One plugin around `inner` (whose boundary is in place); with `translate`, this plugin's boundary too. */
function layer(plugin: AdapterPlugin, inner: Invoke, translate: boolean): Invoke {
  // The app's own object when the kit normalised it: its `around` is called as its method, directly.
  const target = (plugin as { [PLUGIN_INSTANCE]?: AdapterPlugin })[PLUGIN_INSTANCE] ?? plugin;
  // A built-in plugin whose `around` rejects only with AdapterErrors naming the operation (what its
  // `next()` rejected with, or its own, translated) needs no boundary of the kit's.
  if ((target.around as { [TRANSLATES_ERRORS]?: boolean })[TRANSLATES_ERRORS] === true) translate = false;
  return (ctx) => {
    // Set by the first `next()` (the inner boundary always returns a promise): also its "called" flag.
    let inward: Promise<unknown> | undefined;
    const next = (): Promise<unknown> => {
      if (inward !== undefined) {
        return Promise.reject(new AdapterError(ErrorCode.INTERNAL, `plugin "${plugin.name}": next() called multiple times`, { operation: ctx.operation }));
      }
      return (inward = inner({ ...ctx }));
    };
    let out: Promise<unknown>;
    try {
      out = target.around(ctx, next);
    } catch (error) {
      return Promise.reject(toAdapterError(error, ctx.operation));
    }
    // A pass-through (`return next()`): what it rejects with left the inner boundary translated already.
    if (out === inward) return out;
    return translate ? Promise.resolve(out).then(undefined, rethrowFor(ctx.operation)) : Promise.resolve(out);
  };
}

/** One rejection handler per operation name, made once: the success path allocates no closure for it. */
const rethrowers = new Map<string, (error: unknown) => never>();

export function rethrowFor(operation: string): (error: unknown) => never {
  let rethrow = rethrowers.get(operation);
  if (!rethrow) {
    rethrow = (error) => {
      throw toAdapterError(error, operation);
    };
    // Bounded: the pipeline runs the registry's operations only (tests may compose others).
    if (rethrowers.size < 1000) rethrowers.set(operation, rethrow);
  }
  return rethrow;
}
