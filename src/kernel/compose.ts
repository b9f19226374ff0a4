import type { OperationContext } from "./operations";
import type { AdapterPlugin } from "./plugin";

export type Invoke = (ctx: OperationContext) => Promise<unknown>;

/**
 * Wraps `terminal` in `plugins`, first plugin outermost. Composed once per operation, so a call
 * costs one closure per plugin and nothing else.
 */
export function compose(plugins: readonly AdapterPlugin[], terminal: Invoke): Invoke {
  let run = terminal;
  for (let i = plugins.length - 1; i >= 0; i--) {
    const plugin = plugins[i]!;
    const inner = run;
    run = (ctx) => plugin.around(ctx, () => inner(ctx));
  }
  return run;
}
