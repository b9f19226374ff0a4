import type { PluginHost } from "../../src/plugin-api";

type Line = (fields: object, message: string) => void;

/**
 * Log lines for read replicas, from the kit's events: a replica skipped (warn: why, and its lag)
 * or used again (info), and once at startup what replica reads guarantee in this deployment (warn
 * when the cross-instance guarantee is only the lag bound). Replica names hold host, port and
 * database, never credentials.
 */
export function logReplicaEvents(host: PluginHost, log: { info: Line; warn: Line }): void {
  host.on("replica.state", (event) => {
    if (event.state === "in-use") log.info({ replica: event.replica }, "read replica in use again");
    else log.warn({ replica: event.replica, reason: event.reason, ...(event.lagMs !== undefined && { lagMs: event.lagMs }) }, `read replica skipped: ${event.reason}`);
  });
  host.on("replica.notice", (event) => {
    (event.crossInstance === "broadcast" ? log.info : log.warn)({ crossInstance: event.crossInstance }, event.message);
  });
}
