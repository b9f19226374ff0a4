export { checkHealth, DEFAULT_HEALTH_TIMEOUT_MS } from "./checkHealth";
export type { HealthOptions, KitHealth, MigrationsHealth, ProbeResult, ReplicaProbe, ReplicasHealth } from "./types";
