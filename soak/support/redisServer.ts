/** The soak's redis-servers: the shared test helper, plus the version for the report. */
import { execFileSync } from "node:child_process";

export { freePort, RedisServer } from "../../test/support/redisServer";

/** `redis-server --version`, for the report. */
export function redisVersion(): string {
  try {
    return /v=(\S+)/.exec(execFileSync("redis-server", ["--version"]).toString())?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}
