import type { Container } from "inversify";
import { AdapterError, ErrorCode } from "../errors/AdapterError";
import { declaredPlugin } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import { PLUGIN_INSTANCE, PluginOrder, type AdapterPlugin, type PluginHost } from "../kernel/plugin";
import { isOperationName } from "../operations/registry";

/** A plugin as users hand it in: an object, or a class decorated with `@Plugin`. */
export type PluginInput = AdapterPlugin | (new (...args: never[]) => Omit<AdapterPlugin, "name"> & { name?: string });

/** Which kit holds each plugin object: a plugin owns per-kit state (a cache, a subscription). */
const owners = new WeakMap<object, object>();

function refuse(message: string): never {
  throw new AdapterError(ErrorCode.CONFIGURATION, message);
}

/** Refuses a list naming an operation that does not exist: it would silently wrap nothing. */
function checkOperations(label: string, operations: unknown): void {
  if (operations === undefined || operations === "*") return;
  if (!Array.isArray(operations)) refuse(`plugin "${label}": operations must be "*" or a list of operation names`);
  for (const op of operations) if (!isOperationName(op)) refuse(`plugin "${label}": unknown operation "${String(op)}"`);
}

/**
 * Checks a plugin and binds it into the container's multi-binding, so `container.getAll(TYPES.Plugin)`
 * sees it. `kit` claims a plugin object: the same object in a second kit, or twice in one, is refused.
 */
export function bindPlugin(container: Container, plugin: PluginInput, kit: object): void {
  if (typeof plugin === "function") {
    const declared = declaredPlugin(plugin);
    if (!declared) refuse(`${plugin.name} is not decorated with @Plugin({...})`);
    checkOperations(declared.name ?? plugin.name, declared.operations);
    container.bind(TYPES.Plugin).to(plugin as new () => unknown).inSingletonScope();
    return;
  }
  if (plugin === null || typeof plugin !== "object" || typeof plugin.around !== "function") {
    refuse("use(): a plugin is an object with an around(ctx, next) method, or a class decorated with @Plugin");
  }
  const label = String(plugin.name);
  checkOperations(label, plugin.operations);
  const owner = owners.get(plugin);
  if (owner === kit) refuse(`plugin "${label}" was already added to this kit`);
  if (owner !== undefined) refuse(`plugin "${label}" already belongs to another kit: create one instance per kit`);
  owners.set(plugin, kit);
  container.bind(TYPES.Plugin).toConstantValue(plugin);
}

/**
 * Every bound plugin, normalised (a decorated class gets its declared name, order and operations)
 * and sorted by order; equal orders keep registration order (Array.prototype.sort is stable).
 * Plugins not yet in `setUp` are set up now: this runs when the kit starts serving.
 */
export function collectPlugins(container: Container, host: PluginHost, setUp: Set<AdapterPlugin>): AdapterPlugin[] {
  const bound = container.isBound(TYPES.Plugin) ? container.getAll<AdapterPlugin>(TYPES.Plugin) : [];
  const plugins = bound.map((instance) => {
    const declared = declaredPlugin(instance.constructor) ?? {};
    const name = instance.name ?? declared.name ?? instance.constructor.name;
    const operations = instance.operations ?? declared.operations ?? "*";
    // Bound by hand through kit.container: checked here, at the first call.
    checkOperations(name, operations);
    if (!setUp.has(instance)) {
      setUp.add(instance);
      try {
        instance.setup?.(host);
      } catch (error) {
        // Not set up: the next call tries again; release whatever it opened before failing.
        setUp.delete(instance);
        void Promise.resolve().then(() => instance.close?.()).catch(() => undefined);
        throw error;
      }
    }
    return {
      name,
      order: instance.order ?? declared.order ?? PluginOrder.DEFAULT,
      operations,
      around: (ctx, next) => instance.around(ctx, next),
      [PLUGIN_INSTANCE]: instance,
    } satisfies AdapterPlugin & { [PLUGIN_INSTANCE]: AdapterPlugin };
  });
  return plugins.sort((a, b) => a.order - b.order);
}
