/** The parts of NextAuth v3's per-request `appOptions` the adapter reads. */
export interface LegacyAppOptions {
  session?: { maxAge?: number; updateAge?: number };
  secret?: string;
  baseUrl?: string;
  logger?: { error?: (code: string, ...details: unknown[]) => void; debug?: (code: string, ...details: unknown[]) => void };
  debug?: boolean;
}

/** What the v3 methods need, in milliseconds. */
export interface LegacySettings {
  maxAgeMs: number;
  updateAgeMs: number;
  secret: string | undefined;
  baseUrl: string | undefined;
  logger: LegacyAppOptions["logger"];
  debug: boolean;
}

const THIRTY_DAYS_S = 30 * 24 * 60 * 60;
const ONE_DAY_S = 24 * 60 * 60;

export function readAppOptions(appOptions: LegacyAppOptions | undefined): LegacySettings {
  const o = appOptions && typeof appOptions === "object" ? appOptions : {};
  const seconds = (value: unknown, fallback: number) => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback);
  return {
    maxAgeMs: seconds(o.session?.maxAge, THIRTY_DAYS_S) * 1000,
    updateAgeMs: seconds(o.session?.updateAge, ONE_DAY_S) * 1000,
    secret: typeof o.secret === "string" ? o.secret : undefined,
    baseUrl: typeof o.baseUrl === "string" ? o.baseUrl : undefined,
    logger: o.logger,
    debug: o.debug === true,
  };
}

/** Settings that give the same methods share one methods object. */
export function settingsKey(s: LegacySettings): string {
  return `${s.maxAgeMs}|${s.updateAgeMs}|${s.baseUrl ?? ""}|${s.secret ?? ""}|${s.debug}`;
}
