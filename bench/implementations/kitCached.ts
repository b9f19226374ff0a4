import { sessionCache } from "../../plugins";
import { fullPlugins, kitImplementation } from "./kitVariants";
import type { Implementation } from "./types";

/** Cache settings of both cached variants: entries live a minute, as the README suggests. */
export const CACHE_TTL_MS = 60_000;

/** "kit full" plus the in-process session cache. */
export function kitCached(url: string): Implementation {
  const full = fullPlugins();
  const cache = sessionCache({ ttlMs: CACHE_TTL_MS, max: 10_000 });
  return kitImplementation("kit cached", `kit full + sessionCache in process (ttl ${CACHE_TTL_MS / 1000} s)`, url, [...full.plugins, cache], {
    notes: () => ({ cache: cache.stats() }),
    close: async () => full.dispose(),
  });
}
