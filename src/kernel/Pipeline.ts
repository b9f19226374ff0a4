import type { Container } from "inversify";
import { toAdapterError } from "../errors/AdapterError";
import type { AnyOperationDefinition } from "../operations/registry";
import { Checks } from "../validation/checks";
import { composeOpen, rethrowFor, type Invoke } from "./compose";
import type { SessionTokenHasher } from "./sessionTokens";
import { operationId } from "./identifiers";
import { PRESENTED_SESSION_TOKEN, RESTORES_PRESENTED_TOKEN, TRANSLATES_ERRORS, type AdapterOperation, type ArgsOf, type Facade, type OperationContext, type OperationName, type ResultOf } from "./operations";
import { wraps, type AdapterPlugin } from "./plugin";

type FollowUp = () => Promise<unknown>;

/**
 * Follow-ups run through every plugin on their own, one after the other; a failure there was seen
 * (logged, counted) by them and leaves the call's answer as it is.
 */
async function runFollowUps(followUps: FollowUp[], result: unknown): Promise<unknown> {
  for (const run of followUps) await run().catch(() => undefined);
  return result;
}

/**
 * Runs canonical operations: the plugins that target an operation, then (innermost) its argument
 * check and its service. The onion of each operation is composed on its first call from whatever
 * the container holds then; `reset()` makes the next call compose again.
 */
export class Pipeline {
  private readonly chains = new Map<OperationName, Invoke>();
  /** Counts `reset()`s: an `invoker` composed before the last one looks its chain up again. */
  private generation = 0;

  constructor(
    private readonly container: Container,
    private readonly plugins: () => readonly AdapterPlugin[],
    private readonly definitions: Readonly<Record<OperationName, AnyOperationDefinition>>,
    /** Hashes session tokens innermost (see sessionTokens.ts); absent where they are stored raw. */
    private readonly sessionTokens?: SessionTokenHasher,
  ) {}

  invoke<N extends OperationName>(operation: N, args: ArgsOf<N>, facade: Facade = "direct"): Promise<ResultOf<N>> {
    const chain = this.chainOf(operation);
    return typeof chain === "function" ? this.run(operation, chain, args, facade, rethrowFor(operation)) : chain;
  }

  /**
   * `invoke` for one operation and facade, for a facade's method: the composed chain and the
   * rejection handler are looked up once (again after a `reset()`), not on every call.
   */
  invoker<N extends OperationName>(operation: N, facade: Facade): (args: ArgsOf<N>) => Promise<ResultOf<N>> {
    const rethrow = rethrowFor(operation);
    let chain: Invoke | undefined;
    let composedIn = -1;
    return (args) => {
      if (composedIn !== this.generation) {
        const found = this.chainOf(operation);
        if (typeof found !== "function") return found;
        chain = found;
        composedIn = this.generation;
      }
      return this.run(operation, chain!, args, facade, rethrow);
    };
  }

  /** The composed chain of `operation`, composing it on first use; a rejected promise when that fails. */
  private chainOf(operation: OperationName): Invoke | Promise<never> {
    const chain = this.chains.get(operation);
    if (chain) return chain;
    try {
      return this.build(operation);
    } catch (error) {
      // Assembling the chain failed (a plugin's setup, a binding the container cannot build).
      return Promise.reject(toAdapterError(error, operation));
    }
  }

  private run<N extends OperationName>(operation: N, chain: Invoke, args: ArgsOf<N>, facade: Facade, rethrow: (error: unknown) => never): Promise<ResultOf<N>> {
    let followUps: FollowUp[] | undefined;
    const ctx = {
      operation,
      args,
      facade,
      followUp: (next, argsOf) => (followUps ??= []).push(() => this.invoke(next, argsOf(args), facade)),
      // The hashing wrapper's slot, present from the start: V8 gives a copy made by spreading an
      // object a map of its own, and adding a property to such a copy costs about 0.6 µs (a new
      // map each call), where overwriting one that is there costs nothing.
      [PRESENTED_SESSION_TOKEN]: undefined,
    } as OperationContext<N>;
    // One `then` for the outermost boundary and the follow-ups: no async function (a promise and a tick more).
    return chain(ctx as unknown as OperationContext).then((result) => (followUps ? runFollowUps(followUps, result) : result), rethrow) as Promise<ResultOf<N>>;
  }

  /** Forget composed chains (after a rebinding or a new plugin). */
  reset(): void {
    this.chains.clear();
    this.generation++;
  }

  private build(operation: OperationName): Invoke {
    const plugins = this.plugins().filter((p) => wraps(p, operation));
    const service = this.container.get<AdapterOperation>(operationId(operation));
    const check = this.definitions[operation].check;
    // Innermost: the check sees exactly what the operation will receive (as presented, before the
    // kit hashes a session token), and its INVALID_INPUT goes back out through every plugin like
    // any other outcome.
    const execute: Invoke = (ctx) => service.execute(ctx.args, ctx);
    const restores = (service.execute as { [RESTORES_PRESENTED_TOKEN]?: boolean })[RESTORES_PRESENTED_TOKEN] === true;
    const hashed = this.sessionTokens?.wrap(operation, execute, restores);
    const run = hashed ?? execute;
    // One closure for the check and the operation when nothing sits between them.
    const terminal: Invoke = hashed
      ? (ctx) => {
          check(Checks.of(operation, ctx.args));
          return run(ctx);
        }
      : (ctx) => {
          check(Checks.of(operation, ctx.args));
          return service.execute(ctx.args, ctx);
        };
    // The session-token wrapper keeps the operation's translation (see `SessionTokenHasher.wrap`).
    const translates = (service.execute as { [TRANSLATES_ERRORS]?: boolean })[TRANSLATES_ERRORS] === true;
    const chain = composeOpen(plugins, terminal, translates);
    this.chains.set(operation, chain);
    return chain;
  }
}
