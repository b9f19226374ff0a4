import type { Container } from "inversify";
import { declaredPlugin } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import { PluginOrder, type AdapterPlugin, type PluginHost } from "../kernel/plugin";

/** A plugin as users hand it in: an object, or a class decorated with `@Plugin`. */
export type PluginInput = AdapterPlugin | (new (...args: never[]) => Omit<AdapterPlugin, "name"> & { name?: string });

/** Binds a plugin into the container's multi-binding, so `container.getAll(TYPES.Plugin)` sees it. */
export function bindPlugin(container: Container, plugin: PluginInput): void {
  if (typeof plugin === "function") {
    if (!declaredPlugin(plugin)) throw new TypeError(`${plugin.name} is not decorated with @Plugin({...})`);
    container.bind(TYPES.Plugin).to(plugin as new () => unknown).inSingletonScope();
  } else {
    container.bind(TYPES.Plugin).toConstantValue(plugin);
  }
}

/**
 * Every bound plugin, normalised (a decorated class gets its declared name, order and operations)
 * and sorted by order; equal orders keep registration order (Array.prototype.sort is stable).
 */
export function collectPlugins(container: Container, host: PluginHost, setUp: Set<AdapterPlugin>): AdapterPlugin[] {
  const bound = container.isBound(TYPES.Plugin) ? container.getAll<AdapterPlugin>(TYPES.Plugin) : [];
  const plugins = bound.map((instance) => {
    const declared = declaredPlugin(instance.constructor) ?? {};
    if (!setUp.has(instance)) {
      setUp.add(instance);
      instance.setup?.(host);
    }
    return {
      name: instance.name ?? declared.name ?? instance.constructor.name,
      order: instance.order ?? declared.order ?? PluginOrder.DEFAULT,
      operations: instance.operations ?? declared.operations ?? "*",
      around: instance.around.bind(instance),
      close: instance.close?.bind(instance),
    } satisfies AdapterPlugin;
  });
  return plugins.sort((a, b) => a.order - b.order);
}
