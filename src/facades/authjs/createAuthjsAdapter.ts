import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import type { AuthjsMethods, OperationName } from "../../kernel/operations";
import type { Pipeline } from "../../kernel/Pipeline";
import type { AnyOperationDefinition, AuthjsMapping } from "../../operations/registry";

/**
 * The modern adapter (next-auth v4, Auth.js v5): assignable to `Adapter` from `@auth/core/adapters`.
 * Its methods are the registry's operations that declare an Auth.js mapping.
 */
export interface AuthjsAdapter extends AuthjsMethods {}

/** Translates Auth.js's positional calls into canonical operations, as the registry maps them; no behaviour of its own. */
export function createAuthjsAdapter(pipeline: Pipeline, registry: Readonly<Record<OperationName, AnyOperationDefinition>>): AuthjsAdapter {
  const adapter: Record<string, (...positional: unknown[]) => Promise<unknown>> = {};
  for (const [name, definition] of Object.entries(registry) as [OperationName, AnyOperationDefinition][]) {
    const mapping = definition.authjs as AuthjsMapping<unknown, unknown, unknown[], unknown> | undefined;
    if (!mapping) continue;
    const { args, result } = mapping;
    // Every mapping takes one or two positional arguments: fixed parameters spare a rest array per call.
    if (args.length > 2) throw new Error(`the Auth.js mapping of ${name} takes more than two arguments`);
    const invoke = pipeline.invoker(name, "authjs");
    adapter[name] = result ? async (a, b) => result(await invoke(args(a, b) as never)) : (a, b) => invoke(args(a, b) as never);
  }
  Object.defineProperty(adapter, "getAdapter", { value: wrongFacade, enumerable: false });
  return adapter as unknown as AuthjsAdapter;
}

/**
 * NextAuth v3 calls `adapter.getAdapter(appOptions)`. Given this facade it failed with
 * "adapter.getAdapter is not a function"; now the error it logs says which facade to pass.
 * Not enumerable: the Auth.js `Adapter` keeps exactly its methods when spread or listed.
 */
async function wrongFacade(): Promise<never> {
  throw new AdapterError(
    ErrorCode.CONFIGURATION,
    "kit.authjs is the adapter for next-auth v4 and Auth.js (@auth/core); NextAuth v3 needs kit.legacy: `adapter: kit.legacy`",
  );
}
