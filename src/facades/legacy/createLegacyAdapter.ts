import type { Pipeline } from "../../kernel/Pipeline";
import { readAppOptions, settingsKey, type LegacyAppOptions } from "./appOptions";
import { legacyMethods, type LegacyMethods } from "./legacyMethods";

/** The NextAuth v3 adapter shape: `{ getAdapter(appOptions) }`. */
export interface LegacyAdapter {
  getAdapter(appOptions?: LegacyAppOptions): Promise<LegacyMethods>;
}

/** How many distinct `appOptions` settings keep their methods object (v3 normally has one). */
const MAX_CACHED_SETTINGS = 16;

/**
 * v3 calls `getAdapter(appOptions)` on every request. It opens nothing (the connection is lazy and
 * shared by the kit) and returns the same methods object for the same settings.
 */
export function createLegacyAdapter(pipeline: Pipeline): LegacyAdapter {
  const cache = new Map<string, LegacyMethods>();
  return {
    async getAdapter(appOptions) {
      const settings = readAppOptions(appOptions);
      const key = settingsKey(settings);
      let methods = cache.get(key);
      if (!methods) {
        methods = withErrorLogging(legacyMethods(pipeline, settings), settings.logger);
        if (cache.size >= MAX_CACHED_SETTINGS) cache.delete(cache.keys().next().value!);
        cache.set(key, methods);
      }
      return methods;
    },
  };
}

/** Reports failures to v3's logger as v3's own adapter did (`GET_SESSION_ERROR`, ...), code and message only. */
function withErrorLogging(methods: LegacyMethods, logger: LegacyAppOptions["logger"]): LegacyMethods {
  if (typeof logger?.error !== "function") return methods;
  const wrapped = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(methods) as [string, (...a: unknown[]) => Promise<unknown>][]) {
    const code = `${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_ERROR`;
    wrapped[name] = (...args: unknown[]) =>
      fn(...args).catch((error: { code?: string; message?: string }) => {
        logger.error?.(code, { code: error?.code, message: error?.message });
        throw error;
      });
  }
  return wrapped as unknown as LegacyMethods;
}
