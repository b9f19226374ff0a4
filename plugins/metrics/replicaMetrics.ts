/**
 * Read replica series, fed by the kit's events:
 * - `auth_adapter_replica_reads_total{target, reason}`: hot reads answered by a replica, or by the
 *   primary and why (no usable replica, a miss, a fence, the replica failed);
 * - `auth_adapter_replica_skips_total{replica, reason}`: a replica was skipped (down, refused,
 *   lagging, not a replica). Replica names are host:port/database from the configuration.
 * Label values come from fixed lists or the configuration, never from a caller.
 */
import type { Counter, Registry } from "prom-client";
import type { PluginHost } from "../../src/plugin-api";

export const REPLICA_READS_METRIC = "auth_adapter_replica_reads_total";
export const REPLICA_SKIPS_METRIC = "auth_adapter_replica_skips_total";

type PromClient = typeof import("prom-client");

function counter<L extends string>(prom: PromClient, registry: Registry, name: string, help: string, labelNames: L[]): Counter<L> {
  return (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new prom.Counter({ name, help, labelNames, registers: [registry] });
}

export function recordReplicaEvents(prom: PromClient, registry: Registry, host: PluginHost): void {
  const reads = counter(prom, registry, REPLICA_READS_METRIC, "Hot reads with read replicas configured, by target (replica, primary) and reason.", ["target", "reason"]);
  const skips = counter(prom, registry, REPLICA_SKIPS_METRIC, "Read replicas skipped, by replica and reason (down, refused, lagging, not-a-replica).", ["replica", "reason"]);
  host.on("replica.read", ({ target, reason }) => reads.inc({ target, reason }));
  host.on("replica.state", (event) => {
    if (event.state === "skipped") skips.inc({ replica: event.replica, reason: event.reason });
  });
}
