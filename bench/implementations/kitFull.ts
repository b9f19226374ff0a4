import { fullPlugins, kitImplementation } from "./kitVariants";
import type { Implementation } from "./types";

/** Hashing + logging (pino at info to a file) + metrics (prom-client, OTel spans); no cache. */
export function kitFull(url: string): Implementation {
  const full = fullPlugins();
  return kitImplementation("kit full", `hashVerificationTokens + logging (pino at info -> ${full.logFile}) + metrics; cache off`, url, full.plugins, {
    close: async () => full.dispose(),
  });
}

/** "kit full" with the logging plugin's per-call line at `info`: every call writes a line to the file. */
export function kitFullLines(url: string): Implementation {
  const full = fullPlugins(true);
  return kitImplementation("kit full+lines", `kit full, one log line per call at info (-> ${full.logFile})`, url, full.plugins, {
    close: async () => full.dispose(),
  });
}
