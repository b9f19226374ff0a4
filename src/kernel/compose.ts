import { AdapterError, ErrorCode, toAdapterError } from "../errors/AdapterError";
import type { OperationContext } from "./operations";
import type { AdapterPlugin } from "./plugin";

export type Invoke = (ctx: OperationContext) => Promise<unknown>;

/**
 * Wraps `terminal` in `plugins`, first plugin outermost (koa-compose's onion). Composed once per
 * operation, so a call costs a closure and a shallow context copy per plugin.
 *
 * - Each layer gets its own copy of the context when it calls inward: a plugin may replace
 *   `ctx.args` for the layers inside it (the hashing plugin hands them the hash), but the layers
 *   outside still see the arguments as they were when they called `next()`.
 * - Whatever a layer (or the terminal) throws is translated to an AdapterError naming the
 *   operation where it leaves that layer, once: the layers outside receive that same object.
 * - `next()` runs the inner layers once per call; a second `next()` rejects with INTERNAL.
 */
export function compose(plugins: readonly AdapterPlugin[], terminal: Invoke): Invoke {
  let run = translated(terminal);
  for (let i = plugins.length - 1; i >= 0; i--) {
    const plugin = plugins[i]!;
    const inner = run;
    run = translated((ctx) => {
      let called = false;
      return plugin.around(ctx, () => {
        if (called) {
          return Promise.reject(
            new AdapterError(ErrorCode.INTERNAL, `plugin "${plugin.name}": next() called multiple times`, { operation: ctx.operation }),
          );
        }
        called = true;
        return inner({ ...ctx });
      });
    });
  }
  return run;
}

/** The layer boundary: a synchronous throw or a rejection leaves as an AdapterError. */
function translated(layer: Invoke): Invoke {
  return async (ctx) => {
    try {
      return await layer(ctx);
    } catch (error) {
      throw toAdapterError(error, ctx.operation);
    }
  };
}
