import type { AuthjsMapping, OperationDefinition, OperationRegistry } from "../operations/registry";

/**
 * The canonical operation set, read from the one registry (`src/operations/registry.ts`): each
 * operation takes one argument object. Facades translate to these; plugins wrap these.
 */
export type OperationMap = {
  [N in keyof OperationRegistry]: OperationRegistry[N] extends OperationDefinition<infer A, infer R, infer _F> ? { args: A; result: R } : never;
};

export type OperationName = keyof OperationMap;
export type ArgsOf<N extends OperationName> = OperationMap[N]["args"];
export type ResultOf<N extends OperationName> = OperationMap[N]["result"];

/** The Auth.js method an operation's registry entry declares, with its positional arguments and result. */
type AuthjsMethod<D> =
  D extends OperationDefinition<infer A, infer R, infer F>
    ? F extends AuthjsMapping<A, R, infer P, unknown>
      ? (...positional: P) => Promise<F extends { result(result: R): infer X } ? X : R>
      : never
    : never;

/** The operations Auth.js has, by name, as Auth.js calls them (derived from the registry). */
export type AuthjsMethods = {
  [N in OperationName as OperationRegistry[N]["authjs"] extends undefined ? never : N]: AuthjsMethod<OperationRegistry[N]>;
};

/** Which consumer called: the Auth.js facade, the NextAuth v3 facade, or code calling `kit.call`. */
export type Facade = "authjs" | "legacy" | "direct";

/** What a plugin sees of one call. Plugins may replace `args` before calling `next()`. */
export interface OperationContext<N extends OperationName = OperationName> {
  readonly operation: N;
  args: ArgsOf<N>;
  readonly facade: Facade;
  /**
   * Asks the kit to run `operation` through the whole pipeline (every plugin) once this call has
   * returned, with arguments made from the ones the caller presented (before any plugin rewrote
   * them). `getSessionAndUser` uses it to delete an expired session where the session cache and
   * the logging see it. A follow-up that fails does not change this call's result.
   */
  readonly followUp: <F extends OperationName>(operation: F, args: (presented: ArgsOf<N>) => ArgsOf<F>) => void;
}

/** An operation service: one class per canonical operation, depending on store ports only. */
export interface AdapterOperation<N extends OperationName = OperationName> {
  execute(args: ArgsOf<N>, ctx: OperationContext<N>): Promise<ResultOf<N>>;
}

/**
 * @internal Set (to `true`) on an operation's `execute` method, or a built-in plugin's `around`,
 * whose promise rejects only with AdapterErrors naming the operation (on the method, so a subclass
 * with its own is not trusted): the pipeline then adds no `then` of its own to translate what the plugins see
 * (one promise and one tick less per call). The hot `getSessionAndUser` translates in the `then`
 * it needs anyway.
 */
export const TRANSLATES_ERRORS = Symbol("nextauth-adapter-kit:translates-errors");

/**
 * @internal Set (to `true`) on an operation's `execute` method that puts the caller's session
 * token back into what it returns, from `ctx[PRESENTED_SESSION_TOKEN]` (the hashing wrapper sets it
 * when the token was hashed): the wrapper then adds no `then` of its own and copies no result.
 * Only the built-in `getSessionAndUser` does; an overridden operation gets the generic wrapper.
 */
export const RESTORES_PRESENTED_TOKEN = Symbol("nextauth-adapter-kit:restores-presented-token");

/** @internal Where the hashing wrapper leaves the presented token for such an operation (never on a plugin's context). */
export const PRESENTED_SESSION_TOKEN = Symbol("nextauth-adapter-kit:presented-session-token");
