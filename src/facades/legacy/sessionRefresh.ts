import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import type { AdapterSession } from "../../types";
import type { LegacySettings } from "./appOptions";

/**
 * NextAuth v3's session-extension rule: once `updateAge` has passed since the session was last
 * extended (now > expires - maxAge + updateAge), push `expires` to now + maxAge. Otherwise nothing,
 * unless `force`, which saves the session as it is. Returns the update to apply, or null.
 */
export function sessionRefresh(
  session: AdapterSession,
  force: boolean,
  { maxAgeMs, updateAgeMs }: Pick<LegacySettings, "maxAgeMs" | "updateAgeMs">,
): (Partial<AdapterSession> & { sessionToken: string }) | null {
  if (!session || typeof session !== "object") {
    throw new AdapterError(ErrorCode.INVALID_INPUT, `"session" must be a session object`, { operation: "updateSession" });
  }
  // v3 may hand back a session whose `expires` went through JSON; anything else is no date (and
  // must not reach `new Date()`, which throws on symbols and objects without a primitive value).
  const raw: unknown = session.expires;
  const expires = raw instanceof Date ? raw : new Date(typeof raw === "string" || typeof raw === "number" ? raw : Number.NaN);
  const now = Date.now();
  if (now > expires.getTime() - maxAgeMs + updateAgeMs) {
    return { sessionToken: session.sessionToken, expires: new Date(now + maxAgeMs) };
  }
  return force ? { sessionToken: session.sessionToken, expires } : null;
}
