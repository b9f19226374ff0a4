import { fullPlugins, kitImplementation } from "./kitVariants";
import type { Implementation } from "./types";

/** Hashed session tokens, encrypted account tokens, logging (pino at info to a file), metrics (prom-client, OTel spans); no cache. */
export function kitFull(url: string): Implementation {
  const full = fullPlugins();
  return kitImplementation(
    "kit full",
    `session tokens hashed (the kit's default) + encryptAccountTokens + logging (pino at info -> ${full.logFile}) + metrics; cache off`,
    url,
    full.plugins,
    { close: async () => full.dispose() },
  );
}

/** "kit full" without hashed session tokens and encrypted account tokens: the difference is what those two cost. */
export function kitFullPlain(url: string): Implementation {
  const full = fullPlugins(false, false);
  return kitImplementation("kit full -secrets", "kit full with raw session tokens and without encryptAccountTokens", url, full.plugins, {
    close: async () => full.dispose(),
    sessionTokens: "raw",
  });
}

/** "kit full" with the logging plugin's per-call line at `info`: every call writes a line to the file. */
export function kitFullLines(url: string): Implementation {
  const full = fullPlugins(true);
  return kitImplementation("kit full+lines", `kit full, one log line per call at info (-> ${full.logFile})`, url, full.plugins, {
    close: async () => full.dispose(),
  });
}
