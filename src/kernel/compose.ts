import type { OperationContext } from "./operations";
import type { AdapterPlugin } from "./plugin";

export type Invoke = (ctx: OperationContext) => Promise<unknown>;

/**
 * Wraps `terminal` in `plugins`, first plugin outermost. Composed once per operation, so a call
 * costs a closure and a shallow context copy per plugin.
 *
 * Each layer gets its own copy of the context when it calls inward: a plugin may replace
 * `ctx.args` for the layers inside it (the hashing plugin hands them the hash), but the layers
 * outside still see the arguments as they were when they called `next()`.
 */
export function compose(plugins: readonly AdapterPlugin[], terminal: Invoke): Invoke {
  let run = terminal;
  for (let i = plugins.length - 1; i >= 0; i--) {
    const plugin = plugins[i]!;
    const inner = run;
    run = (ctx) => plugin.around(ctx, () => inner({ ...ctx }));
  }
  return run;
}
