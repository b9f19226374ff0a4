import type { MikroORM } from "@mikro-orm/core";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import type { Executor } from "../persistence/mikro-orm/dialects/Dialect";
import { dialectOf } from "../persistence/mikro-orm/dialects/dialectFor";

/** A read replica to probe: its name (host, port, database) and an executor bound to its pool. */
export interface ReplicaTarget {
  readonly name: string;
  readonly executor: Executor;
}

interface ReplicaConfig {
  name?: string;
  clientUrl?: string;
  host?: string;
  port?: number;
  dbName?: string;
}

/**
 * The ORM's read replicas (MikroORM's `replicas` option), each behind a dialect on its own pool,
 * named as the kit's replica router names them in its events and logs (`names`, when it has them).
 */
export function replicaTargets(orm: MikroORM, names: readonly string[] = []): ReplicaTarget[] {
  const connections = replicaConnections(orm);
  const configured = (orm.config.get("replicas") ?? []) as ReplicaConfig[];
  return connections.map((connection, index) => ({ name: names[index] ?? replicaName(configured[index], index), executor: dialectOf(connection) }));
}

/** MikroORM keeps the replica connections on the driver (protected); the kit's router reads them the same way. */
export function replicaConnections(orm: MikroORM): AbstractSqlConnection[] {
  return (orm.em.getDriver() as unknown as { replicas?: AbstractSqlConnection[] }).replicas ?? [];
}

/** Host, port and database of a replica: never its user or password. */
export function replicaName(config: ReplicaConfig | undefined, index: number): string {
  if (config?.name) return config.name;
  if (config?.clientUrl) {
    try {
      const url = new URL(config.clientUrl);
      return `${url.hostname}:${url.port || 5432}${url.pathname}`;
    } catch {
      return `replica ${index}`;
    }
  }
  if (!config) return `replica ${index}`;
  return `${config.host ?? "localhost"}:${config.port ?? 5432}${config.dbName ? `/${config.dbName}` : ""}`;
}
