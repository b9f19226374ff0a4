import type { Container } from "inversify";
import { toAdapterError } from "../errors/AdapterError";
import { VALIDATORS } from "../validation/validators";
import { compose, type Invoke } from "./compose";
import { OPERATIONS } from "./identifiers";
import type { AdapterOperation, ArgsOf, Facade, OperationContext, OperationName, ResultOf } from "./operations";
import { wraps, type AdapterPlugin } from "./plugin";

const NO_META: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Runs canonical operations: checks the arguments, then calls the operation service wrapped in the
 * plugins that target it. The onion of each operation is composed once, on its first call, from
 * whatever the container holds then; `reset()` makes the next call compose again.
 */
export class Pipeline {
  private readonly chains = new Map<OperationName, Invoke>();

  constructor(
    private readonly container: Container,
    private readonly plugins: () => readonly AdapterPlugin[],
  ) {}

  async invoke<N extends OperationName>(operation: N, args: ArgsOf<N>, facade: Facade = "direct", meta = NO_META): Promise<ResultOf<N>> {
    try {
      VALIDATORS[operation](args);
      const chain = this.chains.get(operation) ?? this.build(operation);
      const ctx: OperationContext<N> = { operation, args, facade, meta };
      return (await chain(ctx as OperationContext)) as ResultOf<N>;
    } catch (error) {
      throw toAdapterError(error, operation);
    }
  }

  /** Forget composed chains (after a rebinding or a new plugin). */
  reset(): void {
    this.chains.clear();
  }

  private build(operation: OperationName): Invoke {
    const service = this.container.get<AdapterOperation>(OPERATIONS[operation]);
    const terminal: Invoke = (ctx) => service.execute(ctx.args, ctx);
    const chain = compose(this.plugins().filter((p) => wraps(p, operation)), terminal);
    this.chains.set(operation, chain);
    return chain;
  }
}
