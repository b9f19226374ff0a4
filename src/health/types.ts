/** What one probe found. `latencyMs` is how long it took to answer (or to give up); null when nothing was asked. */
export interface ProbeResult {
  /**
   * `up` answered; `down` refused or failed; `timeout` gave no answer within the probe's time;
   * `none` not configured; `unknown` could not be asked (e.g. the primary is down, so its replicas are unknown).
   */
  readonly state: "up" | "down" | "timeout" | "none" | "unknown";
  readonly latencyMs: number | null;
  /** Why it is not up, in a few words (an error code and the kit's own message; never a URL or a password). */
  readonly reason?: string;
}

/** One read replica, named by host, port and database (never credentials). */
export interface ReplicaProbe extends ProbeResult {
  readonly name: string;
}

/** The read replicas: `up` when every one answered, `down`/`timeout` when any did not, `none` when there are none. */
export interface ReplicasHealth extends ProbeResult {
  readonly replicas: ReplicaProbe[];
}

/** The kit's shipped migrations on this database. */
export interface MigrationsHealth {
  /** `current` nothing pending; `pending` some not applied; `unknown` cannot tell or does not apply (custom layout, no `@mikro-orm/migrations`, memory stores, `synchronize: true`). */
  readonly state: "current" | "pending" | "down" | "timeout" | "unknown";
  readonly latencyMs: number | null;
  /** How many shipped migrations are not applied; null when unknown. */
  readonly pending: number | null;
  readonly names: string[];
  readonly reason?: string;
}

/** `kit.health()`: every service the kit relies on, each probed at the same time with a deadline. */
export interface KitHealth {
  /**
   * True when the kit can serve calls: the database is up, Redis (when configured) is up and no
   * shipped migration is pending. Replicas do not count: reads fall back to the primary.
   */
  readonly ok: boolean;
  readonly database: ProbeResult;
  readonly replicas: ReplicasHealth;
  readonly redis: ProbeResult;
  readonly migrationsPending: MigrationsHealth;
}

export interface HealthOptions {
  /** The most any probe may take, in ms (default 2000): a hung service reports `timeout` then. */
  timeoutMs?: number;
}
