import type { AdapterPlugin } from "../kernel/plugin";
import type { OrmConnection } from "../persistence/mikro-orm/OrmConnection";
import { AdapterError, ErrorCode } from "../errors/AdapterError";
import { Deadline, reasonOf, timeoutReason, type Outcome } from "./deadline";
import { appliedMigrations, shippedMigrations, splitMigrations } from "./migrationStatus";
import { replicaConnections, replicaTargets } from "./replicas";
import type { HealthOptions, KitHealth, MigrationsHealth, ProbeResult, ReplicasHealth, ReplicaProbe } from "./types";

export const DEFAULT_HEALTH_TIMEOUT_MS = 2000;

const SELECT_ONE = { text: "select 1 as one", values: [] };

/**
 * Probes the database, its replicas, Redis (through the plugins that own a client) and the kit's
 * migrations at once. Every probe shares one deadline, so the call settles within `timeoutMs`
 * (plus scheduling) whatever hangs; a probe that has not answered by then reports `timeout`.
 */
export async function checkHealth(connection: OrmConnection | undefined, plugins: readonly AdapterPlugin[], options: HealthOptions = {}): Promise<KitHealth> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new AdapterError(ErrorCode.INVALID_INPUT, "kit.health(): timeoutMs must be a positive number", { operation: "health" });
  const deadline = new Deadline(timeoutMs);
  try {
    const [database, replicas, redis, migrationsPending] = await Promise.all([
      probeDatabase(connection, deadline),
      probeReplicas(connection, deadline),
      probeRedis(plugins, deadline),
      probeMigrations(connection, deadline),
    ]);
    // Replicas do not count: a read a replica cannot answer goes to the primary.
    const ok =
      database.state === "up" &&
      (redis.state === "up" || redis.state === "none") &&
      (migrationsPending.state === "current" || migrationsPending.state === "unknown");
    return { ok, database, replicas, redis, migrationsPending };
  } finally {
    deadline.clear();
  }
}

function asProbe(outcome: Outcome<unknown>, ms: number): ProbeResult {
  if (outcome.kind === "value") return { state: "up", latencyMs: outcome.latencyMs };
  if (outcome.kind === "timeout") return { state: "timeout", latencyMs: outcome.latencyMs, reason: timeoutReason(ms) };
  return { state: "down", latencyMs: outcome.latencyMs, reason: outcome.reason };
}

async function probeDatabase(connection: OrmConnection | undefined, deadline: Deadline): Promise<ProbeResult> {
  if (!connection) return { state: "none", latencyMs: null, reason: "memory stores: no database" };
  return asProbe(await deadline.run(() => connection.read(({ dialect }) => dialect.execute(SELECT_ONE))), deadline.ms);
}

async function probeReplicas(connection: OrmConnection | undefined, deadline: Deadline): Promise<ReplicasHealth> {
  if (!connection) return { state: "none", latencyMs: null, replicas: [] };
  // The ORM and its dialect's name (no statement): within the deadline too, a reconnect may hang.
  const found = await deadline.run(async () => ({ orm: await connection.get(), dialect: await connection.read(async (scope) => scope.dialect.name) }));
  if (found.kind !== "value") {
    const why = found.kind === "timeout" ? "the primary did not answer" : "the primary is down";
    return { state: "unknown", latencyMs: null, reason: `${why}, so its replicas were not probed`, replicas: [] };
  }
  const { orm, dialect } = found.value;
  if (replicaConnections(orm).length === 0) return { state: "none", latencyMs: null, replicas: [] };
  if (dialect !== "postgresql") return { state: "unknown", latencyMs: null, reason: `read replicas are a PostgreSQL feature of the kit, not probed on ${dialect}`, replicas: [] };
  const targets = replicaTargets(orm, connection.replication.replicaNames);
  const replicas: ReplicaProbe[] = await Promise.all(
    targets.map(async (target) => ({ name: target.name, ...asProbe(await deadline.run(() => target.executor.execute(SELECT_ONE)), deadline.ms) })),
  );
  const worst = replicas.find((r) => r.state !== "up");
  const latencyMs = Math.max(...replicas.map((r) => r.latencyMs ?? 0));
  return worst
    ? { state: worst.state, latencyMs, reason: `${replicas.filter((r) => r.state !== "up").length} of ${replicas.length} replicas not answering`, replicas }
    : { state: "up", latencyMs, replicas };
}

async function probeRedis(plugins: readonly AdapterPlugin[], deadline: Deadline): Promise<ProbeResult> {
  const owners = plugins.filter((p) => typeof p.health === "function");
  const probes = await Promise.all(
    owners.map(async (plugin): Promise<ProbeResult | undefined> => {
      const outcome = await deadline.run(() => plugin.health!());
      if (outcome.kind !== "value") return asProbe(outcome, deadline.ms);
      const { service, state, reason } = outcome.value;
      return service === "redis" ? { state, latencyMs: outcome.latencyMs, ...(reason && { reason }) } : undefined;
    }),
  );
  const redis = probes.filter((p): p is ProbeResult => p !== undefined);
  if (redis.length === 0) return { state: "none", latencyMs: null };
  return redis.find((p) => p.state !== "up") ?? { state: "up", latencyMs: Math.max(...redis.map((p) => p.latencyMs ?? 0)) };
}

async function probeMigrations(connection: OrmConnection | undefined, deadline: Deadline): Promise<MigrationsHealth> {
  if (!connection) return { state: "unknown", latencyMs: null, pending: null, names: [], reason: "memory stores: no database" };
  // The in-memory default and `synchronize: true` make their tables themselves: nothing is
  // pending for them, and a readiness probe on a development setup must not fail over it.
  if (connection.synchronizes) return { state: "unknown", latencyMs: null, pending: null, names: [], reason: "synchronize: true creates the tables; the shipped migrations are for databases managed with kit.migrate()" };
  const outcome = await deadline.run(async () => {
    const orm = await connection.get();
    let shipped: string[];
    try {
      shipped = shippedMigrations(orm);
    } catch (error) {
      // A custom layout or a missing @mikro-orm/migrations is no outage: the shipped migrations just do not apply.
      return { unknown: reasonOf(error) };
    }
    return splitMigrations(shipped, await connection.read(({ dialect }) => appliedMigrations(dialect)));
  });
  if (outcome.kind === "timeout") return { state: "timeout", latencyMs: outcome.latencyMs, pending: null, names: [], reason: timeoutReason(deadline.ms) };
  if (outcome.kind === "error") return { state: "down", latencyMs: outcome.latencyMs, pending: null, names: [], reason: outcome.reason };
  const value = outcome.value;
  if ("unknown" in value) return { state: "unknown", latencyMs: outcome.latencyMs, pending: null, names: [], reason: value.unknown };
  return { state: value.pending.length > 0 ? "pending" : "current", latencyMs: outcome.latencyMs, pending: value.pending.length, names: value.pending };
}
